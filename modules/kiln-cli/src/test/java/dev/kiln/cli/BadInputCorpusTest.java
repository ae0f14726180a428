package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.train.RunFolder;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus: every way a user was seen to get a stack trace, a silent wrong result or a damaged
 * run folder, with the exit code and the message each now gets. Every case must print no stack trace; cases
 * that once damaged a run folder also check that it is untouched. The table in docs/reliability.md is
 * written from this list (target/bad-input-corpus.md).
 */
class BadInputCorpusTest {

  @TempDir
  static Path root;

  static Path recipe;
  static Path run;
  static Path model;

  private static final String TINY = """
      {"name": "tiny", "seed": 1, "task": {"type": "diffusion", "data": "moons", "batch_size": 32},
       "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1}, "trainer": {"steps": 20}}
      """;

  /** One corpus case: what the user did, how, and what Kiln must answer. */
  record Case(String area, String what, int code, List<String> says, Setup setup, Check after) {}

  /** Builds a case's files in its own folder; returns the command's arguments. */
  @FunctionalInterface
  interface Setup {
    String[] args(Path dir) throws Exception;
  }

  /** What must hold after the command (files untouched, nothing half-written). */
  @FunctionalInterface
  interface Check {
    void verify(Path dir) throws Exception;

    default Check andThen(Check next) {
      return d -> {
        verify(d);
        next.verify(d);
      };
    }
  }

  private static final List<String> TABLE = new ArrayList<>();

  @BeforeAll
  static void trainAndExportATinyModel() throws IOException {
    recipe = root.resolve("tiny.json");
    Files.writeString(recipe, TINY);
    run = root.resolve("run");
    Cli.ok("train", recipe.toString(), "-o", run.toString(), "--threads", "1");
    model = run.resolve("model.onnx");
    Cli.ok("export", run.toString(), "-o", model.toString());
  }

  @AfterAll
  static void writeTheTable() throws IOException {
    Path out = Path.of("target", "bad-input-corpus.md");
    Files.createDirectories(out.getParent());
    List<String> lines = new ArrayList<>(List.of("| # | area | case | command | exit | message |",
        "|---|---|---|---|---|---|"));
    lines.addAll(TABLE);
    Files.write(out, lines, StandardCharsets.UTF_8);
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputGetsOneCleanMessage() {
    List<Case> cases = cases();
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.area() + ": " + c.what(), () -> {
      Path dir = Files.createDirectories(root.resolve("case-" + cases.indexOf(c)));
      String[] args = c.setup().args(dir);
      Cli.Run r = Cli.run(args);
      String said = r.err() + r.out();
      assertThat(said).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception")
          .doesNotContain("internal error");
      assertThat(r.code()).as("exit code of kiln %s; it said:%n%s", String.join(" ", args), said)
          .isEqualTo(c.code());
      assertThat(said).contains(c.says());
      c.after().verify(dir);
      String line = said.lines().filter(l -> c.says().stream().anyMatch(l::contains)).findFirst().orElse("")
          .replace(root.toString(), "…").replace("|", "\\|");
      TABLE.add("| " + (cases.indexOf(c) + 1) + " | " + c.area() + " | " + c.what() + " | `kiln "
          + String.join(" ", args).replace(root.toString(), "…") + "` | " + r.code() + " | " + line + " |");
    }));
  }

  private static final Check NOTHING = dir -> { };

  private static Case usage(String area, String what, Setup setup, String... says) {
    return new Case(area, what, KilnCommand.USAGE_ERROR, List.of(says), setup, NOTHING);
  }

  private static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    // train: the recipe file
    c.add(usage("train", "recipe does not exist", d -> args("train", d.resolve("nope.json")), "nope.json",
        "does not exist"));
    c.add(usage("train", "recipe path is a folder", d -> args("train", d), "is a folder"));
    c.add(usage("train", "50 MB recipe", d -> {
      Path p = d.resolve("huge.json");
      try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
        f.setLength(50L << 20);
      }
      return args("train", p);
    }, "huge.json is 52428800 bytes", "at most 1048576"));
    c.add(usage("train", "random-bytes recipe", d -> args("train", write(d, "garbage.json", random(4096, 1))),
        "garbage.json is not UTF-8 text"));
    c.add(usage("train", "zero-byte recipe", d -> args("train", write(d, "empty.json", new byte[0])), "is empty"));
    c.add(usage("train", "recipe nested 1000 levels deep", d -> args("train", text(d, "deep.json",
        "{\"a\":".repeat(1000) + "1" + "}".repeat(1000))), "nested deeper than 64 levels"));
    c.add(usage("train", "recipe is a JSON array", d -> args("train", text(d, "array.json", "[1, 2]")),
        "a recipe is a JSON object"));
    c.add(usage("train", "recipe is not JSON", d -> args("train", text(d, "bad.json", "{\"name\": ")),
        "bad.json: not valid JSON at line"));
    // train: values in the recipe
    c.add(usage("train", "`\"steps\": 1.5` (once ran 1 step)", d -> recipeArgs(d, "\"steps\": 20", "\"steps\": 1.5"),
        "field `steps` must be an integer, got 1.5"));
    c.add(usage("train", "`\"steps\": -1`", d -> recipeArgs(d, "\"steps\": 20", "\"steps\": -1"),
        "`steps` must be >= 1, got -1"));
    c.add(usage("train", "`\"steps\": \"many\"`", d -> recipeArgs(d, "\"steps\": 20", "\"steps\": \"many\""),
        "field `steps`"));
    c.add(usage("train", "`\"hidden\": 16.5`", d -> recipeArgs(d, "\"hidden\": 16", "\"hidden\": 16.5"),
        "field `hidden` must be an integer, got 16.5"));
    c.add(usage("train", "`\"checkpoint_seconds\": NaN`", d -> recipeArgs(d, "\"steps\": 20",
        "\"steps\": 20, \"checkpoint_seconds\": NaN"), "`checkpoint_seconds` must be a finite number"));
    c.add(usage("train", "`\"lr\": NaN`", d -> recipeArgs(d, "\"trainer\"",
        "\"optimizer\": {\"type\": \"adam\", \"lr\": NaN}, \"trainer\""), "optimizer field `lr`"));
    c.add(usage("train", "a section that is not an object (found by fuzzing)", d -> recipeArgs(d, "\"trainer\"",
        "\"optimizer\": \"adam\", \"trainer\""), "optimizer: expected a JSON object of fields, got string \"adam\""));
    c.add(usage("train", "misspelt field", d -> recipeArgs(d, "\"hidden\"", "\"hiden\""),
        "unknown field `hiden`", "hidden"));
    c.add(usage("train", "unknown architecture", d -> recipeArgs(d, "mlp-denoiser", "transformer-xxl"),
        "unknown type `transformer-xxl`"));
    c.add(usage("train", "`--set` without `=`", d -> args("train", recipe, "-o", d.resolve("r"), "--set", "steps"),
        "--set expects FIELD=VALUE"));
    c.add(usage("train", "`-o` names a file", d -> args("train", recipe, "-o", write(d, "file", new byte[1])),
        "is a file"));
    // train: resuming a run folder
    c.add(new Case("train", "truncated checkpoint", 2, List.of("truncated", "delete it to train from step 0"),
        d -> trainArgs(copyRun(d, cut(0.5))), NOTHING));
    c.add(usage("train", "zero-byte checkpoint", d -> trainArgs(copyRun(d, ckpt -> new byte[0])),
        "only 0 bytes"));
    c.add(usage("train", "random-bytes checkpoint", d -> trainArgs(copyRun(d, ckpt -> random(5000, 2))),
        "not a safetensors file"));
    c.add(new Case("train", "seed mismatch on resume", 2, List.of("seed is 1 there, 5 here"),
        d -> withArgs(trainArgs(copyRun(d, same())), "--set", "seed=5"), unchangedRecipe()));
    c.add(new Case("train", "finished run, changed lr (once trained nothing, rewrote recipe.json)", 2,
        List.of("optimizer.lr is absent there, 0.1 here", "--allow-recipe-change"),
        d -> withArgs(trainArgs(copyRun(d, same())), "--set", "optimizer.lr=0.1"), unchangedRecipe()));
    c.add(new Case("train", "finished run, fewer steps", 2, List.of("trainer.steps is 20 there, 10 here"),
        d -> withArgs(trainArgs(copyRun(d, same())), "--set", "trainer.steps=10"), unchangedRecipe()));
    c.add(new Case("train", "resume with another architecture (once overwrote recipe.json)", 2,
        List.of("architecture.hidden is 16 there, 32 here"),
        d -> withArgs(trainArgs(copyRun(d, same())), "--set", "architecture.hidden=32"),
        unchangedRecipe().andThen(d -> assertThat(Cli.run("export", d.resolve("run").toString()).code()).isZero())));
    c.add(new Case("train", "a second writer on one run folder", 2, List.of("is in use by another kiln process"),
        d -> {
          Path r = copyRun(d, same());
          HELD.add(RunFolder.lock(r));
          return trainArgs(r);
        }, d -> {
          for (RunFolder f : HELD) {
            f.close();
          }
          HELD.clear();
          assertThat(Files.readAllLines(d.resolve("run").resolve(Trainer.METRICS)))
              .isEqualTo(Files.readAllLines(run.resolve(Trainer.METRICS)));
        }));
    c.add(new Case("train", "finished run trained again (once printed 0.0 it/s, loss NaN)", 0,
        List.of("already holds the finished run (20 steps); nothing to train"), d -> trainArgs(copyRun(d, same())),
        unchangedRecipe()));
    // export
    c.add(usage("export", "run folder does not exist", d -> args("export", d.resolve("nope")), "does not exist"));
    c.add(usage("export", "run folder without a checkpoint", d -> args("export", Files.createDirectories(
        d.resolve("empty"))), "no checkpoint", "kiln train RECIPE -o"));
    c.add(usage("export", "truncated checkpoint", d -> args("export", copyRun(d, cut(0.5))), "truncated",
        "restore it, or train the run again"));
    c.add(usage("export", "zero-byte checkpoint", d -> args("export", copyRun(d, ckpt -> new byte[0])),
        "only 0 bytes"));
    c.add(usage("export", "random-bytes checkpoint", d -> args("export", copyRun(d, ckpt -> random(5000, 3))),
        "not a safetensors file"));
    c.add(usage("export", "checkpoint whose header lies about offsets", d -> args("export", copyRun(d,
        ckpt -> forgedHeader("{\"param/w\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}"))),
        "data_offsets [0, 4000000]"));
    c.add(usage("export", "checkpoint with overlapping tensors", d -> args("export", copyRun(d, ckpt -> forgedHeader(
        "{\"param/a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"param/b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"))), "overlap"));
    c.add(usage("export", "checkpoint with an unknown dtype", d -> args("export", copyRun(d, ckpt -> forgedHeader(
        "{\"param/a\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,2]}}"))), "unsupported dtype F8"));
    c.add(new Case("export", "`-o` names an existing folder", 2, List.of("is a folder; name a file"),
        d -> args("export", run, "-o", Files.createDirectories(d.resolve("out"))), NOTHING));
    c.add(usage("export", "`-o` in an unwritable place", d -> args("export", run, "-o", "/proc/kiln/model.onnx"),
        "cannot create files in /proc"));
    c.add(usage("export", "`-o` inside a regular file", d -> args("export", run, "-o",
        write(d, "file", new byte[1]).resolve("model.onnx")), "is a file"));
    // sample
    c.add(usage("sample", "model does not exist", d -> args("sample", d.resolve("nope.onnx")), "does not exist"));
    c.add(usage("sample", "model path is a folder", d -> args("sample", d), "is a folder"));
    c.add(usage("sample", "truncated .onnx", d -> sampleArgs(d, write(d, "cut.onnx", cut(0.5).apply(
        Files.readAllBytes(model)))), "not an ONNX model"));
    c.add(usage("sample", "random-bytes .onnx", d -> sampleArgs(d, write(d, "random.onnx", random(3000, 4))),
        "not an ONNX model"));
    c.add(usage("sample", "zero-byte .onnx", d -> sampleArgs(d, write(d, "empty.onnx", new byte[0])),
        "not an ONNX model (it has no graph)"));
    c.add(usage("sample", "external data outside the model's folder", d -> sampleArgs(d, externalOutside(d)),
        "outside the model's folder"));
    c.add(usage("sample", "external data through a link out of the folder", d -> sampleArgs(d, externalLink(d)),
        "a link that leads outside the model's folder"));
    c.add(usage("sample", "`-o` names an existing folder", d -> args("sample", model, "-o",
        Files.createDirectories(d.resolve("out"))), "is a folder; name a file"));
    c.add(new Case("sample", "`--raw` names an existing folder (once: PNG written, command failed)", 2,
        List.of("--raw", "is a folder"), d -> args("sample", model, "-o", d.resolve("s.png"), "--raw",
            Files.createDirectories(d.resolve("raw"))), noFile("s.png")));
    c.add(new Case("sample", "`--raw` in an unwritable place (once: PNG written, command failed)", 2,
        List.of("cannot create files in /proc"), d -> args("sample", model, "-o", d.resolve("s.png"), "--raw",
            "/proc/kiln/s.safetensors"), noFile("s.png")));
    c.add(usage("sample", "`--raw` and `-o` the same file", d -> args("sample", model, "-o", d.resolve("s"),
        "--raw", d.resolve("s")), "give them different files"));
    c.add(new Case("sample", "`--guidance NaN` (once: all-NaN samples, exit 0)", 2,
        List.of("--guidance must be a finite number, got NaN"), d -> sampleArgs(d, model, "--guidance", "NaN"),
        noFile("s.png")));
    c.add(usage("sample", "`--guidance Infinity`", d -> sampleArgs(d, model, "--guidance", "Infinity"),
        "--guidance must be a finite number"));
    c.add(usage("sample", "`-n 0`", d -> sampleArgs(d, model, "-n", "0"), "-n must be in 1..100000000, got 0"));
    c.add(usage("sample", "`-n -5`", d -> sampleArgs(d, model, "-n", "-5"), "-n must be in 1..100000000"));
    c.add(usage("sample", "`-n` above the limit", d -> sampleArgs(d, model, "-n", "1000000000"),
        "-n must be in 1..100000000"));
    c.add(usage("sample", "`-n 1.5`", d -> sampleArgs(d, model, "-n", "1.5"), "'1.5' is not a long"));
    c.add(usage("sample", "`--steps 0`", d -> sampleArgs(d, model, "--steps", "0"), "--steps must be in 1..10000"));
    c.add(usage("sample", "`--steps 100000`", d -> sampleArgs(d, model, "--steps", "100000"),
        "--steps must be in 1..10000"));
    c.add(usage("sample", "`--label` on an unconditional model", d -> sampleArgs(d, model, "--label", "3"),
        "is an unconditional model"));
    c.add(usage("sample", "unknown sampler", d -> sampleArgs(d, model, "--sampler", "nope"), "nope"));
    c.add(usage("sample", "`--set` without `=`", d -> sampleArgs(d, model, "--set", "eta"),
        "--set expects FIELD=VALUE"));
    c.add(usage("sample", "`--scheduler-config` is a folder", d -> sampleArgs(d, model, "--scheduler-config",
        d.toString()), "--scheduler-config", "is a folder"));
    c.add(usage("sample", "`--scheduler-config` nested 1000 deep", d -> sampleArgs(d, model, "--scheduler-config",
        text(d, "deep.json", "[".repeat(1000) + "]".repeat(1000)).toString()), "nested deeper than 64 levels"));
    // eval
    c.add(usage("eval", "`-n 0`", d -> args("eval", model, "-n", "0"), "-n must be in 1..100000000, got 0"));
    c.add(usage("eval", "`-n` above the limit", d -> args("eval", model, "-n", "1000000000"),
        "-n must be in 1..100000000, got 1000000000"));
    c.add(usage("eval", "random-bytes .onnx", d -> args("eval", write(d, "random.onnx", random(3000, 5))),
        "not an ONNX model"));
    c.add(usage("eval", "`--guidance NaN`", d -> args("eval", model, "--guidance", "NaN"),
        "--guidance must be a finite number"));
    c.add(usage("eval", "`--steps 0`", d -> args("eval", model, "--steps", "0"), "--steps must be in 1..10000"));
    // tck
    c.add(usage("tck", "random-bytes jar", d -> args("tck", "-p", write(d, "random.jar", random(3000, 6)), "-o",
        d.resolve("report")), "is not a jar"));
    c.add(usage("tck", "jar does not exist", d -> args("tck", "-p", d.resolve("nope.jar"), "-o", d.resolve("r")),
        "nope.jar", "does not exist"));
    // quickstart
    c.add(new Case("quickstart", "`-o` on an existing run (once replaced its checkpoint silently)", 2,
        List.of("holds another run", "choose another folder"), d -> args("quickstart", "-o", copyRun(d, same())),
        d -> assertThat(Files.readAllBytes(d.resolve("run").resolve(Trainer.CHECKPOINT)))
            .isEqualTo(Files.readAllBytes(run.resolve(Trainer.CHECKPOINT)))));
    c.add(usage("quickstart", "`-o` names a file", d -> args("quickstart", "-o", write(d, "file", new byte[1])),
        "is a file"));
    return c;
  }

  private static final List<RunFolder> HELD = new ArrayList<>();

  private static String[] args(Object... parts) {
    return Arrays.stream(parts).map(Object::toString).toArray(String[]::new);
  }

  private static String[] withArgs(String[] a, String... more) {
    String[] out = Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }

  private static String[] recipeArgs(Path d, String from, String to) throws IOException {
    return args("train", text(d, "recipe.json", TINY.replace(from, to)), "-o", d.resolve("run"), "--threads", "1");
  }

  private static String[] trainArgs(Path runDir) {
    return args("train", recipe, "-o", runDir, "--threads", "1");
  }

  private static String[] sampleArgs(Path d, Path m, String... more) {
    return withArgs(args("sample", m, "-o", d.resolve("s.png")), more);
  }

  /** A copy of the trained run whose checkpoint bytes {@code damage} rewrites. */
  private static Path copyRun(Path d, Damage damage) throws IOException {
    Path copy = d.resolve("run");
    Files.createDirectories(copy);
    for (String f : List.of(Trainer.CHECKPOINT, Trainer.METRICS, TrainingRun.RECIPE)) {
      Files.copy(run.resolve(f), copy.resolve(f));
    }
    Path ckpt = copy.resolve(Trainer.CHECKPOINT);
    Files.write(ckpt, damage.apply(Files.readAllBytes(ckpt)));
    return copy;
  }

  @FunctionalInterface
  interface Damage {
    byte[] apply(byte[] bytes) throws IOException;
  }

  private static Damage same() {
    return b -> b;
  }

  private static Damage cut(double fraction) {
    return b -> Arrays.copyOf(b, (int) (b.length * fraction));
  }

  private static Check unchangedRecipe() {
    return d -> assertThat(d.resolve("run").resolve(TrainingRun.RECIPE)).hasSameTextualContentAs(
        run.resolve(TrainingRun.RECIPE));
  }

  private static Check noFile(String name) {
    return d -> assertThat(d.resolve(name)).doesNotExist();
  }

  private static byte[] forgedHeader(String json) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Path write(Path d, String name, byte[] bytes) throws IOException {
    return Files.write(d.resolve(name), bytes);
  }

  private static Path text(Path d, String name, String text) throws IOException {
    return Files.writeString(d.resolve(name), text);
  }

  /** The tiny model with its first initializer's data moved to {@code location}. */
  private static Path externalData(Path d, String location) throws IOException {
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
    var g = m.getGraph().toBuilder();
    TensorProto t = g.getInitializer(0);
    g.setInitializer(0, t.toBuilder().clearRawData().clearFloatData()
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)).build());
    Path out = d.resolve("external.onnx");
    Files.write(out, m.toBuilder().setGraph(g).build().toByteArray());
    return out;
  }

  private static Path externalOutside(Path d) throws IOException {
    Files.write(root.resolve("secret.bin"), new byte[4096]);
    return externalData(d, "../secret.bin");
  }

  private static Path externalLink(Path d) throws IOException {
    Files.write(root.resolve("secret2.bin"), new byte[4096]);
    Files.createSymbolicLink(d.resolve("weights.bin"), root.resolve("secret2.bin"));
    return externalData(d, "weights.bin");
  }
}
