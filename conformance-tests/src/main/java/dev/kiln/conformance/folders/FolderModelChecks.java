package dev.kiln.conformance.folders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.GenerationControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The checks of the folder-model contract, on a provider's example folder and requests. A folder model
 * is called by {@code kiln serve} from many request threads, so it must give each request the answer it
 * gets alone, leave the request it is handed unchanged, and refuse a field it does not know with a
 * {@link ConfigException} (a 400 for the client) rather than any other failure. Under a
 * {@link GenerationControl} it answers the same, runs exactly the step calls it announces, closes every
 * step loop it opens, and lets the control's {@link CancellationException} stop it.
 */
public final class FolderModelChecks {

  /** Threads the concurrency check calls the model from at once. */
  static final int THREADS = 4;

  private FolderModelChecks() {}

  /** Every check by name, on the provider's example in {@code dir}. */
  public static Map<String, Check> all(FolderModelProvider provider, Path dir, OrtBackend backend) {
    Map<String, Check> checks = new LinkedHashMap<>();
    checks.put("recognises its example and not an empty folder", () -> recognisesItsExampleOnly(provider, dir));
    checks.put("answers every example request with named, finite outputs",
        () -> withModel(provider, dir, backend, m -> answersWithNamedFiniteOutputs(provider, m)));
    checks.put("the same request gives the same answer",
        () -> withModel(provider, dir, backend, m -> sameRequestSameAnswer(provider, m)));
    checks.put("concurrent requests get what they get alone",
        () -> withModel(provider, dir, backend, m -> concurrentRequestsGetWhatTheyGetAlone(provider, m)));
    checks.put("leaves the request unchanged",
        () -> withModel(provider, dir, backend, m -> leavesTheRequestUnchanged(provider, m)));
    checks.put("refuses an unknown field with a ConfigException",
        () -> withModel(provider, dir, backend, m -> refusesAnUnknownField(provider, m)));
    checks.put("under a control, answers what it answers alone and runs the step calls it announces",
        () -> withModel(provider, dir, backend, m -> underAControlAnswersTheSame(provider, m)));
    checks.put("stops with a CancellationException once the request is no longer wanted",
        () -> withModel(provider, dir, backend, m -> stopsWhenNoLongerWanted(provider, m)));
    return checks;
  }

  /** One check; throws {@link AssertionError} when the provider breaks the contract. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /** A check on an opened model. */
  @FunctionalInterface
  interface ModelCheck {
    void run(FolderModel model) throws Exception;
  }

  static void recognisesItsExampleOnly(FolderModelProvider provider, Path dir) throws IOException {
    Path example = provider.writeExample(Files.createDirectories(dir.resolve("recognised")));
    assertThat(provider.recognises(example)).as("recognises the folder writeExample wrote").isTrue();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(provider.recognises(empty)).as("recognises an empty folder").isFalse();
    assertThat(provider.recognises(dir.resolve("missing"))).as("recognises a missing path").isFalse();
  }

  static void answersWithNamedFiniteOutputs(FolderModelProvider provider, FolderModel m) {
    assertThat(m.parameters()).as("parameters()").isNotNull();
    List<JsonNode> requests = provider.exampleRequests();
    assertThat(requests).as("exampleRequests()").isNotEmpty();
    for (JsonNode r : requests) {
      List<FolderModel.Output> out = m.generate(r);
      assertThat(out).as("outputs of %s", r).isNotEmpty();
      for (FolderModel.Output o : out) {
        assertThat(o.name()).as("an output name of %s", r).isNotBlank();
        if (o.tensor() != null) {
          for (double v : o.tensor().toDoubleArray()) {
            assertThat(Double.isFinite(v)).as("output %s of %s is finite", o.name(), r).isTrue();
          }
        } else {
          assertThat(o.strings()).as("output %s of %s", o.name(), r).doesNotContainNull();
        }
      }
    }
  }

  static void sameRequestSameAnswer(FolderModelProvider provider, FolderModel m) {
    for (JsonNode r : provider.exampleRequests()) {
      assertSame(m.generate(r), m.generate(r), r.toString());
    }
  }

  static void concurrentRequestsGetWhatTheyGetAlone(FolderModelProvider provider, FolderModel m) throws Exception {
    List<JsonNode> requests = new ArrayList<>();
    while (requests.size() < 2 * THREADS) {
      requests.addAll(provider.exampleRequests());
    }
    List<List<FolderModel.Output>> alone = new ArrayList<>();
    for (JsonNode r : requests) {
      alone.add(m.generate(r));
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<FolderModel.Output>>> together = new ArrayList<>();
      for (JsonNode r : requests) {
        together.add(pool.submit(() -> m.generate(r)));
      }
      for (int i = 0; i < requests.size(); i++) {
        assertSame(together.get(i).get(), alone.get(i), "request " + i + " " + requests.get(i) + " run concurrently");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static void leavesTheRequestUnchanged(FolderModelProvider provider, FolderModel m) {
    for (JsonNode r : provider.exampleRequests()) {
      JsonNode before = r.deepCopy();
      m.generate(r);
      assertThat(r).as("the request after generate").isEqualTo(before);
    }
  }

  static void refusesAnUnknownField(FolderModelProvider provider, FolderModel m) {
    JsonNode first = provider.exampleRequests().get(0);
    assertThat(first.isObject()).as("an example request is a JSON object").isTrue();
    ObjectNode bad = ((ObjectNode) first.deepCopy()).put("kiln_tck_unknown_field", 1);
    assertThatThrownBy(() -> m.generate(bad)).as("generate(%s)", bad).isInstanceOf(ConfigException.class)
        .hasMessageContaining("kiln_tck_unknown_field");
  }

  static void underAControlAnswersTheSame(FolderModelProvider provider, FolderModel m) {
    for (JsonNode r : provider.exampleRequests()) {
      RecordingControl control = new RecordingControl(Integer.MAX_VALUE);
      assertSame(m.generate(r, control), m.generate(r), "generate(" + r + ", control) against generate(" + r + ")");
      assertThat(control.open).as("step loops of %s left open", r).isZero();
      assertThat(control.calls).as("step calls of %s against the totals its loops announced", r)
          .isEqualTo(control.announced);
    }
  }

  static void stopsWhenNoLongerWanted(FolderModelProvider provider, FolderModel m) {
    for (JsonNode r : provider.exampleRequests()) {
      RecordingControl never = new RecordingControl(0);
      assertThatThrownBy(() -> m.generate(r, never)).as("generate(%s) for a client already gone", r)
          .isInstanceOf(CancellationException.class);
      assertThat(never.calls).as("step calls run for a client already gone").isZero();
      RecordingControl once = new RecordingControl(1);
      try {
        m.generate(r, once);
        assertThat(once.announced).as("%s: answered although it went away after its first step call", r)
            .isLessThanOrEqualTo(1);
      } catch (CancellationException expected) {
        assertThat(once.calls).as("%s: step calls run before it stopped", r).isEqualTo(1);
      }
      assertThat(once.open).as("step loops of %s left open after it stopped", r).isZero();
    }
  }

  /**
   * A control that stays wanted for {@code wantedCalls} step calls, runs each call directly and counts
   * loops, announced calls and calls run.
   */
  private static final class RecordingControl implements GenerationControl {
    private final int wantedCalls;
    int calls;
    int announced;
    int open;

    RecordingControl(int wantedCalls) {
      this.wantedCalls = wantedCalls;
    }

    @Override
    public synchronized boolean wanted() {
      return calls < wantedCalls;
    }

    @Override
    public synchronized StepCalls steps(String call, ModelCall direct, int total) {
      assertThat(call).as("a step call's name").isNotBlank();
      assertThat(total).as("calls announced for %s", call).isPositive();
      announced += total;
      open++;
      return new StepCalls() {
        private boolean closed;

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
          check();
          synchronized (RecordingControl.this) {
            calls++;
          }
          return direct.run(inputs, outputs);
        }

        @Override
        public void close() {
          synchronized (RecordingControl.this) {
            if (!closed) {
              closed = true;
              open--;
            }
          }
        }
      };
    }
  }

  private static void assertSame(List<FolderModel.Output> a, List<FolderModel.Output> b, String what) {
    assertThat(a).as(what + ": outputs").hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      FolderModel.Output x = a.get(i);
      FolderModel.Output y = b.get(i);
      assertThat(x.name()).as(what).isEqualTo(y.name());
      if (x.tensor() != null) {
        assertThat(y.tensor()).as(what + ": output " + x.name()).isNotNull();
        assertThat(x.tensor().shape()).as(what + ": shape of " + x.name()).isEqualTo(y.tensor().shape());
        assertThat(x.tensor().toDoubleArray()).as(what + ": values of " + x.name())
            .containsExactly(y.tensor().toDoubleArray());
      } else {
        assertThat(x.strings()).as(what + ": output " + x.name()).isEqualTo(y.strings());
      }
    }
  }

  /** Opens the provider's example (written once into {@code dir/example}) and runs {@code check} on it. */
  private static void withModel(FolderModelProvider provider, Path dir, OrtBackend backend, ModelCheck check)
      throws Exception {
    Path written = dir.resolve("example");
    Path example;
    synchronized (FolderModelChecks.class) {
      Path marker = written.resolve(".folder");
      if (Files.exists(marker)) {
        example = Path.of(Files.readString(marker));
      } else {
        example = provider.writeExample(Files.createDirectories(written));
        Files.writeString(marker, example.toString());
      }
    }
    try (FolderModel m = provider.open(example, backend)) {
      check.run(m);
    }
  }
}
