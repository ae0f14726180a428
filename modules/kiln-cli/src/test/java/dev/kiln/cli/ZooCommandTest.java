package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln zoo} on a one-model zoo built by the test: a tiny recipe trained, published, verified,
 * tampered with and retrained.
 */
class ZooCommandTest {

  private static final String RECIPE = """
      {"name": "tiny", "seed": %d,
       "task": {"type": "diffusion", "data": "8gaussians", "batch_size": 64,
                "schedule": {"num_train_timesteps": 100, "beta_schedule": "linear", "prediction_type": "epsilon"}},
       "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1},
       "trainer": {"steps": 30}}
      """;

  private static final String CARD = """
      {"name": "tiny", "method": "a tiny DDPM for the zoo tests",
       "models": [{"file": "model.onnx", "recipe": "recipe.json"}],
       "evaluation": {"type": "sample-quality", "model": "model.onnx", "sampler": "ddim", "steps": 5, "count": %s}}
      """;

  @TempDir
  Path dir;

  private Path zoo;
  private Path folder;

  @BeforeEach
  void publishATinyModel() throws Exception {
    zoo = dir.resolve("zoo");
    folder = zoo.resolve("tiny");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("recipe.json"), RECIPE.formatted(0));
    Files.writeString(folder.resolve("card.json"), CARD.formatted("300"));
    Files.writeString(folder.resolve("README.md"), "# tiny\n\nA tiny model.\n");
    Path run = dir.resolve("run");
    Cli.ok("train", folder.resolve("recipe.json").toString(), "-o", run.toString(), "--threads", "1");
    String published = Cli.ok("zoo", "publish", "tiny", "--zoo", zoo.toString(), "--run", run.toString());
    assertThat(published).contains("tiny: swd ").contains("wrote card.json, README.md and SHA256SUMS (4 files)");
  }

  @Test
  void aPublishedModelVerifiesWithItsNumbersRepeatedExactly() {
    String out = Cli.ok("zoo", "verify", "--zoo", zoo.toString());
    assertThat(out).contains("(identical)").contains("tiny: ok").contains("1 verified, 0 with mismatches");
    assertThat(Cli.ok("zoo", "list", "--zoo", zoo.toString())).contains("tiny").contains("swd ");
  }

  @Test
  void aTamperedModelFileIsAMismatch() throws Exception {
    Path model = folder.resolve("model.onnx");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length - 5] ^= 1;
    Files.write(model, bytes);
    Cli.Run r = Cli.run("zoo", "verify", "--zoo", zoo.toString());
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains("tiny: MISMATCH " + model + ": sha256 ").contains("but SHA256SUMS says");
  }

  @Test
  void anUnlistedFileIsAMismatch() throws Exception {
    Files.writeString(folder.resolve("extra.onnx"), "not in the manifest");
    Cli.Run r = Cli.run("zoo", "verify", "--zoo", zoo.toString(), "--hashes-only");
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains(folder.resolve("extra.onnx") + ": not listed in SHA256SUMS");
  }

  @Test
  void aMissingManifestIsAMismatch() throws Exception {
    Files.delete(folder.resolve("SHA256SUMS"));
    Cli.Run r = Cli.run("zoo", "verify", "--zoo", zoo.toString(), "--hashes-only");
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains(folder.resolve("SHA256SUMS") + ": missing, so no file can be checked");
  }

  @Test
  void aWrongCardNumberIsCaughtEvenWhenTheHashesAgreeWithIt() throws Exception {
    Path card = folder.resolve("card.json");
    String json = Files.readString(card, StandardCharsets.UTF_8);
    String swd = json.replaceAll("(?s).*\"swd\" : ([0-9.Ee-]+).*", "$1");
    double wrong = Double.parseDouble(swd) * 1.05;
    Files.writeString(card, json.replace("\"swd\" : " + swd, "\"swd\" : " + wrong));
    ZooManifest.of(folder).write(folder);
    Cli.Run r = Cli.run("zoo", "verify", "tiny", "--zoo", zoo.toString());
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains("field `metrics.swd` is " + wrong + " but the shipped model measures " + swd);
  }

  @Test
  void aMalformedCardIsAUserErrorNamingFileFieldAndValue() throws Exception {
    Files.writeString(folder.resolve("card.json"), CARD.formatted("-3"));
    Cli.Run r = Cli.run("zoo", "verify", "tiny", "--zoo", zoo.toString());
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains(folder.resolve("card.json").toString()).contains("evaluation.count").contains("-3");
  }

  @Test
  void reproduceRetrainsTheSameWeightsBitForBit() {
    String out = Cli.ok("zoo", "reproduce", "tiny", "--zoo", zoo.toString(), "-o", dir.resolve("again").toString());
    assertThat(out).contains("model.onnx: retrained from recipe.json").contains("bit for bit: all ")
        .contains("the weights match the shipped ones bit for bit");
  }

  @Test
  void reproduceWithAnotherSeedSaysHowFarTheWeightsAre() throws Exception {
    Files.writeString(folder.resolve("recipe.json"), RECIPE.formatted(1));
    Cli.Run r = Cli.run("zoo", "reproduce", "tiny", "--zoo", zoo.toString(), "-o", dir.resolve("other").toString());
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains("the shipped file's recipe differs from recipe.json")
        .containsPattern("\\d+ of \\d+ weight tensors differ; largest \\|difference\\| [0-9.e-]+ \\(in ")
        .contains("the weights differ from the shipped ones");
  }

  @Test
  void publishRefusesARunOfAnotherRecipe() throws Exception {
    Path other = dir.resolve("other.json");
    Files.writeString(other, RECIPE.formatted(7));
    Path run = dir.resolve("run7");
    Cli.ok("train", other.toString(), "-o", run.toString(), "--threads", "1");
    Cli.Run r = Cli.run("zoo", "publish", "tiny", "--zoo", zoo.toString(), "--run", run.toString());
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("trained with a recipe whose seed differ from " + folder.resolve("recipe.json"));
  }

  @Test
  void publishRemovesWhatTheCardLeavesOutAndTheManifestStaysWhole() throws Exception {
    Path card = folder.resolve("card.json");
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) dev.kiln.spi.Configs.mapper().readTree(card.toFile());
    json.putArray("leave_out").add("serving/copy.onnx");
    Files.writeString(card, json.toString());
    Files.createDirectories(folder.resolve("serving"));
    Files.writeString(folder.resolve("serving/copy.onnx"), "a file an export writes but the zoo does not ship");
    assertThat(Cli.ok("zoo", "publish", "tiny", "--zoo", zoo.toString(), "--keep-numbers")).contains("left out ");
    assertThat(folder.resolve("serving/copy.onnx")).doesNotExist();
    assertThat(Cli.ok("zoo", "verify", "--zoo", zoo.toString(), "--hashes-only")).contains("tiny: ok");
  }

  @Test
  void showPrintsTheCardTheInputsAndTheProvenance() {
    String out = Cli.ok("zoo", "show", "tiny", "--zoo", zoo.toString());
    assertThat(out).contains("A tiny model.").contains("input  x").contains("output out")
        .containsPattern("source_commit +([0-9a-f]{40}(-dirty)?|unknown)")
        .containsPattern("data_sha256 +[0-9a-f]{64}").contains("command: ./kiln eval model-zoo/tiny/model.onnx");
  }

  @Test
  void aPublishThatFailsMidwayLeavesTheFolderByteIdentical() throws Exception {
    // an old model that the export would overwrite and a file the card leaves out, which publish would delete
    Files.write(folder.resolve("model.onnx"), new byte[] {1, 2, 3});
    Files.createDirectories(folder.resolve("serving"));
    Files.writeString(folder.resolve("serving/copy.onnx"), "a file an export writes but the zoo does not ship");
    Path card = folder.resolve("card.json");
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) dev.kiln.spi.Configs.mapper().readTree(card.toFile());
    json.putArray("leave_out").add("serving/copy.onnx");
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("evaluation")).put("sampler", "no-such-sampler");
    Files.writeString(card, json.toString());
    java.util.Map<String, String> before = snapshot(zoo);

    Cli.Run r = Cli.run("zoo", "publish", "tiny", "--zoo", zoo.toString(), "--run", dir.resolve("run").toString());

    assertThat(r.code()).isNotZero();
    assertThat(r.out()).contains("exported "); // it failed after the export and the leave_out
    assertThat(snapshot(zoo)).isEqualTo(before);
  }

  @Test
  void theNextZooCommandFinishesASwapThatAKillInterrupted() throws Exception {
    for (boolean oldMoved : new boolean[] {false, true}) {
      Path staged = stagedCopyWithANewReadme("new README " + oldMoved);
      Files.move(staged.getParent(), zoo.resolve(".tiny.publish-ready"));
      if (oldMoved) { // killed between the two renames: tiny is missing
        Files.move(folder, zoo.resolve(".tiny.old"));
      }
      assertThat(Cli.ok("zoo", "verify", "--zoo", zoo.toString(), "--hashes-only")).contains("tiny: ok");
      assertThat(Files.readString(folder.resolve("README.md"))).isEqualTo("new README " + oldMoved);
      try (var s = Files.list(zoo)) {
        assertThat(s.map(p -> p.getFileName().toString())).containsExactly("tiny");
      }
    }
  }

  @Test
  void anUnsealedStagingFolderIsNeverReadAndTheNextPublishRemovesIt() throws Exception {
    java.util.Map<String, String> before = snapshot(folder);
    stagedCopyWithANewReadme("a publish killed before it sealed its copy");
    assertThat(Cli.ok("zoo", "verify", "--zoo", zoo.toString(), "--hashes-only")).contains("tiny: ok");
    assertThat(snapshot(folder)).isEqualTo(before);
    Cli.ok("zoo", "publish", "tiny", "--zoo", zoo.toString(), "--keep-numbers");
    assertThat(snapshot(folder)).isEqualTo(before);
    try (var s = Files.list(zoo)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("tiny");
    }
  }

  /** A staging copy of the folder as {@code kiln zoo publish} builds one, with another README and its manifest. */
  private Path stagedCopyWithANewReadme(String readme) throws Exception {
    Path staged = ZooSwap.stage(folder);
    Files.writeString(staged.resolve("README.md"), readme);
    ZooManifest.of(staged).write(staged);
    return staged;
  }

  /** Every file under {@code root} by its relative path, with its SHA-256. */
  private static java.util.Map<String, String> snapshot(Path root) throws Exception {
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        files.put(root.relativize(p).toString(), Files.isRegularFile(p) ? ZooManifest.sha256(p) : "folder");
      }
    }
    return files;
  }

}
