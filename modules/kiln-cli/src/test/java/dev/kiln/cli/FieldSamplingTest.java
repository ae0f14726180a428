package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny DPF model trained and exported by the CLI is sampled by {@code kiln sample} at a resolution it
 * was never trained at, at the coordinates of a file, and as a 3-D occupancy field with renders and meshes.
 */
class FieldSamplingTest {

  @TempDir
  Path dir;

  private Path trainTiny(String data, String domain, String resolution) throws Exception {
    Path recipe = dir.resolve(data + ".json");
    Files.writeString(recipe, """
        {"name": "tiny-dpf-%s", "seed": 0,
         "task": {"type": "dpf", "data": "%s", %s "batch_size": 4, "context_size": 16, "query_size": 16,
                  "schedule": {"num_train_timesteps": 50}},
         "architecture": {"type": "perceiver-io", "domain": "%s", "frequencies": 2, "width": 8, "latents": 4,
                          "heads": 2, "blocks": 1},
         "trainer": {"steps": 5}}
        """.formatted(data, data, resolution, domain));
    Path run = dir.resolve(data);
    Cli.ok("train", recipe.toString(), "-o", run.toString(), "--threads", "1");
    Cli.ok("export", run.toString(), "--threads", "1");
    return run.resolve("model.onnx");
  }

  @Test
  void aPlaneFieldIsSampledAtAnUntrainedResolutionAndAtTheCoordinatesOfAFile() throws Exception {
    Path model = trainTiny("mnist", "plane", "");
    Path png = dir.resolve("up.png");
    String out = Cli.ok("sample", model.toString(), "--resolution", "56", "-n", "4", "--steps", "3", "-o",
        png.toString(), "--threads", "1");
    assertThat(out).contains("4 samples on the plane grid 56×56, ddim 3 steps (3 model calls)");
    BufferedImage img = ImageIO.read(png.toFile());
    // a 2 × 2 grid of 56-pixel images at scale 2, with the grid's padding
    assertThat(img.getWidth()).isGreaterThanOrEqualTo(2 * 56 * 2).isLessThan(2 * 56 * 2 + 20);

    Path coords = dir.resolve("points.txt");
    Files.writeString(coords, "# u v\n-0.5 -0.5\n0.5, 0.5\n0 0\n");
    Path splat = dir.resolve("points.png");
    String at = Cli.ok("sample", model.toString(), "--coords", coords.toString(), "-n", "2", "--steps", "2", "-o",
        splat.toString(), "--threads", "1");
    assertThat(at).contains("2 samples on the 3 coordinates");
    assertThat(splat).isNotEmptyFile();
    assertThat(Files.readAllLines(dir.resolve("points.csv"))).hasSize(1 + 2 * 3).first().isEqualTo("sample,u,v,signal");

    Files.writeString(coords, "0.1 0.2 0.3\n");
    Cli.Run bad = Cli.run("sample", model.toString(), "--coords", coords.toString(), "--threads", "1");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("line 1: expected 2 numbers");
  }

  @Test
  void anOccupancyFieldIsRenderedFromFourAnglesWithAMeshPerSample() throws Exception {
    Path model = trainTiny("shapes", "volume", "\"resolution\": 8,");
    Path png = dir.resolve("shapes.png");
    String out = Cli.ok("sample", model.toString(), "--resolution", "12", "-n", "2", "--steps", "2", "-o",
        png.toString(), "--threads", "1");
    assertThat(out).contains("2 samples on the volume grid 12×12×12").contains("(+2 files)");
    assertThat(ImageIO.read(png.toFile()).getHeight()).isGreaterThanOrEqualTo(2 * 96);
    for (int i = 0; i < 2; i++) {
      assertThat(Files.readString(dir.resolve("shapes-" + i + ".ply"))).startsWith("ply\nformat ascii 1.0\n");
    }
  }
}
