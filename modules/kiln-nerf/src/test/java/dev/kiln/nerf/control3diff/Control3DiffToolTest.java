package dev.kiln.nerf.control3diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.nerf.scenes.View;
import dev.kiln.spi.ConfigException;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tool: a picture in, rendered results out; bad pictures are named. */
class Control3DiffToolTest {

  private static final PriorConfig PRIOR = new PriorConfig(16, 1, 8, 2, 100, null, null, null, null, 4, 1, null);

  private static Path picture(Path dir, String name, float[] rgb, int side) throws Exception {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    int n = side * side;
    for (int p = 0; p < n; p++) {
      int r = Math.round(255 * rgb[p]);
      int g = Math.round(255 * rgb[n + p]);
      int b = Math.round(255 * rgb[2 * n + p]);
      img.setRGB(p % side, p / side, (r << 16) | (g << 8) | b);
    }
    Path f = dir.resolve(name);
    ImageIO.write(img, "png", f.toFile());
    return f;
  }

  @Test
  void samplesFromAPictureAndRefusesOneOfAnotherSize(@TempDir Path dir) throws Exception {
    TriplaneGan gan = TinyGan.sensitive(3);
    View view = TinyGan.views(1).get(0);
    GanSamples data = GanSamples.draw(gan, 4, List.of(view.camera()), TinyGan.BACKEND, 1);
    LatentPrior edges = LatentPrior.initialize(PRIOR, ControlSignal.EDGES, 8, 8, data, 2);
    new Control3Diff(gan, Map.of(ControlSignal.EDGES, edges), LatentPrior.initialize(PRIOR, null, 8, 8, data, 1))
        .save(dir.resolve("model"));
    Path input = picture(dir, "car.png", view.rgb(), 8);
    StringWriter out = new StringWriter();
    int code = new Control3DiffTool().run(new PrintWriter(out, true), new PrintWriter(new StringWriter()), "--model",
        dir.resolve("model").toString(), "--control", "edges", "--input", input.toString(), "--samples", "2",
        "--steps", "2", "-o", dir.resolve("out").toString());
    assertThat(code).isZero();
    assertThat(out.toString()).contains("2 results for edges control");
    BufferedImage views = ImageIO.read(dir.resolve("out/views.png").toFile());
    assertThat(views.getHeight()).as("two rows of renders").isGreaterThan(2 * 8 * 4);
    assertThat(dir.resolve("out/control.png")).exists();

    Path big = picture(dir, "big.png", new float[3 * 12 * 12], 12);
    assertThatThrownBy(() -> new Control3DiffTool().run(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "--model", dir.resolve("model").toString(), "--control", "edges",
        "--input", big.toString())).isInstanceOf(ConfigException.class).hasMessageContaining("big.png")
        .hasMessageContaining("12×12").hasMessageContaining("8×8");
    assertThatThrownBy(() -> new Control3DiffTool().run(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "--model", dir.resolve("model").toString(), "--control", "edges",
        "--input", input.toString(), "--samples", "zero")).hasMessageContaining("--samples")
        .hasMessageContaining("`zero`");
  }

  private static final String RECIPE = """
      {"data": {"categories": ["toycar"], "train_scenes": 6, "test_scenes": 2, "train_views": 1, "image_size": 8,
                "supersample": 1},
       "gan": {"latent": 8, "style": 8, "mapping_width": 16, "synthesis_channels": 8,
               "field": {"channels": 2, "resolution": 8, "hidden": 8}, "image_size": 8, "samples_per_ray": 6,
               "discriminator_channels": 4, "batch": 2, "steps": 2},
       "prior": {"hidden": 16, "blocks": 1, "embedding": 8, "encoder_channels": 2, "timesteps": 100, "batch": 4,
                 "steps": 2, "pool": 8},
       "controls": ["image"]}
      """;

  @Test
  void trainExportAndEvaluateARecipeWithTheProvenanceInEveryFile(@TempDir Path dir) throws Exception {
    Path recipe = dir.resolve("recipe.json");
    java.nio.file.Files.writeString(recipe, RECIPE);
    PrintWriter none = new PrintWriter(new StringWriter());
    Control3DiffTool tool = new Control3DiffTool();
    assertThat(tool.run(none, none, "train", "--config", recipe.toString(), "--seed", "1", "--output",
        dir.resolve("run").toString())).isZero();
    assertThat(tool.run(none, none, "export", "--model", dir.resolve("run").toString(), "--output",
        dir.resolve("onnx").toString())).isZero();
    StringWriter out = new StringWriter();
    Path metrics = dir.resolve("metrics.json");
    assertThat(tool.run(new PrintWriter(out), none, "evaluate", "--onnx", dir.resolve("onnx").toString(), "--count",
        "1", "--metrics", metrics.toString())).isZero();

    for (String f : List.of("generator.onnx", "prior-image.onnx", "prior-unconditional.onnx")) {
      Map<String, String> meta = dev.kiln.graph.onnx.ModelReader.read(dir.resolve("onnx").resolve(f)).metadata();
      assertThat(meta).as(f).containsEntry("seed", "1").containsEntry("step", "2").containsKeys("source_commit",
          "data_sha256");
      assertThat(dev.kiln.spi.Configs.parse(meta.get("recipe"), f)).as(f)
          .isEqualTo(dev.kiln.spi.Configs.readFile(dir.resolve("run/config.json"), "config"));
    }
    assertThat(dir.resolve("onnx/prior-edges.onnx")).as("only the recipe's controls").doesNotExist();
    assertThat(dev.kiln.spi.Configs.readFile(metrics, "metrics").fieldNames()).toIterable()
        .containsExactly("input_psnr", "novel_psnr", "novel_ssim", "novel_psnr_unconditional");
    assertThat(out.toString()).contains("novel_psnr ");
  }

  @Test
  void aRecipeWithAnUnknownControlIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path recipe = dir.resolve("recipe.json");
    java.nio.file.Files.writeString(recipe, RECIPE.replace("[\"image\"]", "[\"depth\"]"));
    assertThatThrownBy(() -> new Control3DiffTool().run(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "train", "--config", recipe.toString(), "--output",
        dir.resolve("run").toString())).hasMessageContaining("depth");
  }
}
