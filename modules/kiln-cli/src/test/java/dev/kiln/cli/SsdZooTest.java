package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zoo model trained in its own loop: a tiny SSDNeRF trained by {@code kiln ssdnerf train}, published,
 * verified by its {@code ssdnerf-reconstruction} evaluation, caught with a wrong number, retrained.
 */
class SsdZooTest {

  private static final String RECIPE = """
      {"data": {"train_scenes": 2, "test_scenes": 1, "train_views": 2, "image_size": 8, "supersample": 1},
       "ssdnerf": {
         "model": {"field": {"channels": 2, "resolution": 6, "hidden": 8}, "samples_per_ray": 6, "prior_base": 8,
                   "prior_groups": 4, "timesteps": 100},
         "training": {"iterations": 3, "scenes_per_batch": 2, "rays_per_scene": 16},
         "reconstruction": {"ddim_steps": 3, "guide_rays": 16, "finetune_outer": 1, "finetune_inner": 2,
                            "finetune_rays": 16}},
       "seed": 0, "log_every": 1}
      """;

  private static final String CARD = """
      {"name": "tiny-ssd", "method": "a tiny SSDNeRF for the zoo tests",
       "models": [{"file": "decoder.onnx", "recipe": "recipe.json", "trainer": "kiln-ssdnerf"},
                  {"file": "denoiser.onnx", "recipe": "recipe.json", "trainer": "kiln-ssdnerf"}],
       "evaluation": {"type": "ssdnerf-reconstruction", "model": "decoder.onnx", "count": 2, "seed": 0}}
      """;

  @TempDir
  Path dir;

  private Path zoo;
  private Path folder;

  @BeforeEach
  void publishATinySsdNerf() throws Exception {
    zoo = dir.resolve("zoo");
    folder = zoo.resolve("tiny-ssd");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("recipe.json"), RECIPE);
    Files.writeString(folder.resolve("card.json"), CARD);
    Files.writeString(folder.resolve("README.md"), "# tiny-ssd\n\nA tiny SSDNeRF.\n");
    Path run = dir.resolve("run");
    Cli.ok("ssdnerf", "train", "--config", folder.resolve("recipe.json").toString(), "--output", run.toString(),
        "--threads", "1");
    String published = Cli.ok("zoo", "publish", "tiny-ssd", "--zoo", zoo.toString(), "--run", run.toString());
    assertThat(published).contains("tiny-ssd: psnr_1view ").contains("tiny-ssd: ssim_1view ")
        .contains("wrote card.json, README.md and SHA256SUMS (5 files)");
  }

  @Test
  void aPublishedSsdNerfVerifiesWithItsNumbersRepeatedExactly() {
    String out = Cli.ok("zoo", "verify", "tiny-ssd", "--zoo", zoo.toString());
    assertThat(out).contains("tiny-ssd: psnr_1view").contains("(identical)").contains("1 verified, 0 with mismatches");
    assertThat(Cli.ok("zoo", "show", "tiny-ssd", "--zoo", zoo.toString())).contains("input  x_t")
        .contains("output density").contains("trained by the kiln-ssdnerf tool");
  }

  @Test
  void aWrongReconstructionPsnrOnTheCardIsCaught() throws Exception {
    Path card = folder.resolve("card.json");
    String text = Files.readString(card);
    String wrong = text.replaceFirst("\"psnr_1view\" : ([0-9.]+)", "\"psnr_1view\" : 99.5");
    assertThat(wrong).isNotEqualTo(text);
    Files.writeString(card, wrong);
    Cli.ok("zoo", "publish", "tiny-ssd", "--zoo", zoo.toString(), "--keep-numbers");
    Cli.Run r = Cli.run("zoo", "verify", "tiny-ssd", "--zoo", zoo.toString());
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains("field `metrics.psnr_1view` is 99.5 but the shipped model measures");
  }

  @Test
  void reproduceRetrainsBothFilesBitForBitWithTheTool() {
    String out = Cli.ok("zoo", "reproduce", "tiny-ssd", "--zoo", zoo.toString(), "-o", dir.resolve("again").toString());
    assertThat(out).contains("decoder.onnx: retrained from recipe.json by kiln-ssdnerf")
        .contains("denoiser.onnx: from the same run of recipe.json").contains("bit for bit");
  }

  @Test
  void publishRefusesARunOfAnotherRecipe() throws Exception {
    Path other = dir.resolve("other.json");
    Files.writeString(other, RECIPE.replace("\"seed\": 0", "\"seed\": 1"));
    Path run = dir.resolve("run-other");
    Cli.ok("ssdnerf", "train", "--config", other.toString(), "--output", run.toString(), "--threads", "1");
    Cli.Run r = Cli.run("zoo", "publish", "tiny-ssd", "--zoo", zoo.toString(), "--run", run.toString());
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("trained with a recipe that differs from");
  }
}
