package dev.kiln.conformance.folders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.DType;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.GenerationControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each check of the folder-model contract fails on a provider broken in the way it guards against, and
 * none fails on the same provider unbroken: the checks can fail, and fail for the right reason.
 */
class ChecksRejectBrokenFolderModelsTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));

  /** How the provider is broken. */
  enum Flaw {
    NONE, RECOGNISES_ANY_FOLDER, NAN_OUTPUT, COUNTS_ITS_CALLS, EDITS_THE_REQUEST, FAILS_UNKNOWN_FIELDS_BADLY,
    ANNOUNCES_TOO_FEW_CALLS, LEAVES_ITS_LOOP_OPEN, SWALLOWS_CANCELLATION
  }

  /** Step calls of the seeded model's loop. */
  static final int STEPS = 3;

  /** A host-only model: the answer is a function of the request's seed, except where it is broken. */
  record Provider(Flaw flaw) implements FolderModelProvider {

    @Override
    public String name() {
      return "broken-" + flaw.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean recognises(Path folder) {
      return flaw == Flaw.RECOGNISES_ANY_FOLDER ? Files.isDirectory(folder)
          : Files.exists(folder.resolve("model.kind"));
    }

    @Override
    public FolderModel open(Path folder, OrtBackend backend) {
      AtomicInteger calls = new AtomicInteger();
      return new FolderModel() {
        @Override
        public ObjectNode parameters() {
          return JsonNodeFactory.instance.objectNode().put("kind", "seeded");
        }

        @Override
        public List<Output> generate(JsonNode request) {
          return generate(request, GenerationControl.alone());
        }

        @Override
        public List<Output> generate(JsonNode request, GenerationControl control) {
          request.fieldNames().forEachRemaining(f -> {
            if (!f.equals("seed")) {
              throw flaw == Flaw.FAILS_UNKNOWN_FIELDS_BADLY ? new IllegalStateException("no field " + f)
                  : new ConfigException("unknown field `" + f + "`");
            }
          });
          long seed = request.get("seed").asLong();
          if (flaw == Flaw.EDITS_THE_REQUEST) {
            ((ObjectNode) request).put("seed", seed + 1);
          }
          double v = flaw == Flaw.NAN_OUTPUT ? Double.NaN : seed * 0.5 + (flaw == Flaw.COUNTS_ITS_CALLS
              ? calls.incrementAndGet() : 0);
          // a loop of host-side "model" calls that add 1, run through the control
          Tensor x = Tensor.of(DType.FLOAT, new double[] {v}, 1);
          GenerationControl.StepCalls loop = control.steps("adder",
              (in, outs) -> Map.of("out", Tensor.of(DType.FLOAT, new double[] {in.get("x").getFloat(0) + 1}, 1)),
              flaw == Flaw.ANNOUNCES_TOO_FEW_CALLS ? STEPS - 1 : STEPS);
          try {
            for (int i = 0; i < STEPS; i++) {
              x = loop.run(Map.of("x", x), java.util.Set.of("out")).get("out");
            }
          } catch (java.util.concurrent.CancellationException e) {
            if (flaw != Flaw.SWALLOWS_CANCELLATION) {
              throw e;
            }
          } finally {
            if (flaw != Flaw.LEAVES_ITS_LOOP_OPEN) {
              loop.close();
            }
          }
          v = x.getFloat(0);
          return List.of(Output.of("value", Tensor.of(DType.FLOAT, new double[] {v}, 1)),
              Output.ofStrings("text", List.of("seed " + seed)));
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Path writeExample(Path dir) throws java.io.IOException {
      Path f = Files.createDirectories(dir.resolve("seeded"));
      Files.writeString(f.resolve("model.kind"), "seeded\n");
      return f;
    }

    @Override
    public List<JsonNode> exampleRequests() {
      return List.of(JsonNodeFactory.instance.objectNode().put("seed", 3),
          JsonNodeFactory.instance.objectNode().put("seed", 8));
    }
  }

  private static Map<String, FolderModelChecks.Check> checks(Flaw flaw, Path dir) throws Exception {
    return FolderModelChecks.all(new Provider(flaw), Files.createDirectories(dir.resolve(flaw.name())), CPU);
  }

  @Test
  void theUnbrokenProviderPassesEveryCheck(@TempDir Path dir) throws Exception {
    for (Map.Entry<String, FolderModelChecks.Check> e : checks(Flaw.NONE, dir).entrySet()) {
      assertThatCode(() -> e.getValue().run()).as(e.getKey()).doesNotThrowAnyException();
    }
  }

  @Test
  void eachFlawIsCaughtByItsCheck(@TempDir Path dir) throws Exception {
    assertFails(checks(Flaw.RECOGNISES_ANY_FOLDER, dir), "recognises its example and not an empty folder");
    assertFails(checks(Flaw.NAN_OUTPUT, dir), "answers every example request with named, finite outputs");
    assertFails(checks(Flaw.COUNTS_ITS_CALLS, dir), "the same request gives the same answer");
    assertFails(checks(Flaw.COUNTS_ITS_CALLS, dir), "concurrent requests get what they get alone");
    assertFails(checks(Flaw.EDITS_THE_REQUEST, dir), "leaves the request unchanged");
    assertFails(checks(Flaw.FAILS_UNKNOWN_FIELDS_BADLY, dir), "refuses an unknown field with a ConfigException");
    String underControl = "under a control, answers what it answers alone and runs the step calls it announces";
    String stops = "stops with a CancellationException once the request is no longer wanted";
    assertFails(checks(Flaw.ANNOUNCES_TOO_FEW_CALLS, dir), underControl);
    assertFails(checks(Flaw.LEAVES_ITS_LOOP_OPEN, dir), underControl);
    assertFails(checks(Flaw.LEAVES_ITS_LOOP_OPEN, dir), stops);
    assertFails(checks(Flaw.SWALLOWS_CANCELLATION, dir), stops);
  }

  private static void assertFails(Map<String, FolderModelChecks.Check> checks, String name) {
    assertThat(checks).containsKey(name);
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> checks.get(name).run());
    assertThat(thrown).as(name).isInstanceOf(AssertionError.class);
  }
}
