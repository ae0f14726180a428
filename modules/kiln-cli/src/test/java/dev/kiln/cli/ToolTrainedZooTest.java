package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln zoo} for a model a method's own tool trains: a tiny NerfDiff trained by
 * {@code kiln nerfdiff train}, published, verified by its tool evaluation, tampered with and retrained.
 */
class ToolTrainedZooTest {

  private static final String CONFIG = """
      {"model": {"image_size": 8, "plane_channels": 2, "hidden": 8, "samples_per_ray": 6, "encoder_base": 8,
                 "cdm_base": 8, "groups": 4, "timesteps": 100},
       "training": {"steps": 2, "pairs_per_step": 2},
       "distillation": {"ddim_steps": 2, "finetune_steps": 1, "rays_per_step": 32}}
      """;

  private static final String CARD = """
      {"name": "tiny-nerfdiff", "method": "a tiny NerfDiff for the zoo tests",
       "models": [{"file": "nerfdiff-single-image-nerf.onnx", "recipe": "config.json", "tool": "kiln-nerfdiff", "seed": 1},
                  {"file": "nerfdiff-cdm.onnx", "recipe": "config.json", "tool": "kiln-nerfdiff", "seed": 1}],
       "evaluation": {"type": "tool", "model": "nerfdiff-single-image-nerf.onnx", "count": 1, "seed": 0},
       "leave_out": ["nerfdiff-encoder.onnx"]}
      """;

  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  private static Path published;
  private Path zoo;
  private Path folder;

  /** Trains and publishes once; each test gets its own copy of the published folder. */
  @BeforeAll
  static void publishATinyToolTrainedModel() throws Exception {
    Path folder = shared.resolve("zoo/tiny-nerfdiff");
    Files.createDirectories(folder);
    Path partial = shared.resolve("partial.json");
    Files.writeString(partial, CONFIG);
    Path run = shared.resolve("run");
    Cli.ok("nerfdiff", "train", "--config", partial.toString(), "--seed", "1", "--output", run.toString(),
        "--threads", "1");
    Files.copy(run.resolve("config.json"), folder.resolve("config.json"));
    Files.writeString(folder.resolve("card.json"), CARD);
    Files.writeString(folder.resolve("README.md"), "# tiny-nerfdiff\n\nA tiny model.\n");
    String out = Cli.ok("zoo", "publish", "tiny-nerfdiff", "--zoo", shared.resolve("zoo").toString(), "--run",
        run.toString());
    assertThat(out).contains("tiny-nerfdiff: psnr_nerf ").contains("(5 files)");
    published = folder;
  }

  @BeforeEach
  void copyThePublishedFolder() throws Exception {
    zoo = dir.resolve("zoo");
    folder = zoo.resolve("tiny-nerfdiff");
    Files.createDirectories(folder);
    try (var files = Files.list(published)) {
      for (Path f : files.toList()) {
        Files.copy(f, folder.resolve(f.getFileName().toString()));
      }
    }
  }

  @Test
  void aPublishedToolModelShipsItsFilesWithProvenanceAndVerifiesExactly() throws Exception {
    assertThat(folder.resolve("nerfdiff-encoder.onnx")).doesNotExist();
    String show = Cli.ok("zoo", "show", "tiny-nerfdiff", "--zoo", zoo.toString());
    assertThat(show).contains("trained by  kiln nerfdiff train --config model-zoo/tiny-nerfdiff/config.json --seed 1")
        .contains("data_name      procedural multi-view scenes").containsPattern("source_commit +[0-9a-f]{40}")
        .contains("command: ./kiln nerfdiff evaluate --onnx model-zoo/tiny-nerfdiff --count 1 --seed 0");
    assertThat(Files.readString(folder.resolve("README.md"), StandardCharsets.UTF_8))
        .contains("The method tool's own held-out evaluation").contains("| psnr_ngd |");
    String out = Cli.ok("zoo", "verify", "--zoo", zoo.toString());
    assertThat(out).contains("psnr_nerf").contains("(identical)").contains("1 verified, 0 with mismatches");
  }

  @Test
  void aWrongCardNumberOfAToolEvaluationIsCaught() throws Exception {
    Path card = folder.resolve("card.json");
    String json = Files.readString(card, StandardCharsets.UTF_8);
    String psnr = json.replaceAll("(?s).*\"psnr_ngd\" : ([0-9.Ee-]+).*", "$1");
    double wrong = Double.parseDouble(psnr) + 0.5;
    Files.writeString(card, json.replace("\"psnr_ngd\" : " + psnr, "\"psnr_ngd\" : " + wrong));
    ZooManifest.of(folder).write(folder);
    Cli.Run r = Cli.run("zoo", "verify", "tiny-nerfdiff", "--zoo", zoo.toString());
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains("field `metrics.psnr_ngd` is " + wrong + " but the shipped model measures " + psnr)
        .contains("psnr_nerf").contains("(identical)");
  }

  @Test
  void reproduceRetrainsTheToolModelBitForBit() {
    String out = Cli.ok("zoo", "reproduce", "tiny-nerfdiff", "--zoo", zoo.toString(), "-o",
        dir.resolve("again").toString());
    assertThat(out).contains("nerfdiff-single-image-nerf.onnx: retrained from config.json")
        .contains("nerfdiff-cdm.onnx: retrained from config.json").contains("bit for bit: all")
        .contains("the weights match the shipped ones bit for bit");
  }

  @Test
  void publishRefusesARunTrainedWithAnotherSeed() throws Exception {
    Path other = dir.resolve("other");
    Cli.ok("nerfdiff", "train", "--config", folder.resolve("config.json").toString(), "--seed", "2", "--output",
        other.toString(), "--threads", "1");
    Cli.Run r = Cli.run("zoo", "publish", "tiny-nerfdiff", "--zoo", zoo.toString(), "--run", other.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("trained with seed 2").contains("`models[].seed`");
  }

  @Test
  void aToolCardWithSamplerSettingsOrAnUnknownToolIsAUserErrorNamingFileAndField() throws Exception {
    Path card = folder.resolve("card.json");
    String json = Files.readString(card, StandardCharsets.UTF_8);
    Files.writeString(card, json.replace("\"type\" : \"tool\",", "\"type\" : \"tool\", \"sampler\" : \"ddim\","));
    Cli.Run r = Cli.run("zoo", "verify", "tiny-nerfdiff", "--zoo", zoo.toString(), "--hashes-only");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(card.toString()).contains("`evaluation.sampler`");
    Files.writeString(card, json.replace("\"kiln-nerfdiff\"", "\"nerfdiff\""));
    r = Cli.run("zoo", "verify", "tiny-nerfdiff", "--zoo", zoo.toString(), "--hashes-only");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(card.toString()).contains("`models[].tool`").contains("nerfdiff");
  }
}
