package dev.kiln.nerf.scenes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.nerf.control3diff.Control3Diff;
import dev.kiln.nerf.control3diff.Control3DiffFolderModels;
import dev.kiln.nerf.control3diff.ControlSignal;
import dev.kiln.nerf.control3diff.ControlledSampler;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.ssd.GuidedReconstruction;
import dev.kiln.nerf.ssd.SsdNerf;
import dev.kiln.nerf.ssd.SsdNerfExport;
import dev.kiln.nerf.ssd.SsdNerfFolderModels;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.Providers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exported SSDNeRF and Control3Diff folders as served models: a request gets the renders the libraries'
 * own sampling and rendering give for the same fields, and bad fields are refused naming them.
 */
class NerfFolderModelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));

  @Test
  void everyNerfProviderIsFound() {
    Map<String, FolderModelProvider> all = Providers.load(FolderModelProvider.class);
    assertThat(all).containsKeys("nerfdiff", "ssdnerf", "control3diff");
  }

  @Test
  void ssdnerfRendersPriorSamplesAtTheRequestedCameras(@TempDir Path dir) throws Exception {
    Path folder = new SsdNerfFolderModels().writeExample(dir);
    float[] served;
    try (FolderModel m = new SsdNerfFolderModels().open(folder, CPU)) {
      served = m.generate(JSON.readTree("{\"count\":2,\"seed\":4,\"views\":[[10,30],[250,5]]}")).get(0).tensor()
          .toFloatArray();
      assertThatThrownBy(() -> m.generate(JSON.readTree("{\"count\":9}"))).isInstanceOf(ConfigException.class)
          .hasMessageContaining("count must be an integer in 1..8, got 9");
      assertThatThrownBy(() -> m.generate(JSON.readTree("{\"views\":[[1,2,3]]}")))
          .isInstanceOf(ConfigException.class).hasMessageContaining("views[0] must be an [azimuth, elevation] pair");
    }
    SsdNerf model = SsdNerfExport.load(folder);
    MultiViewDataset.Config data = SsdNerfExport.data(folder);
    Intrinsics in = Intrinsics.fromFov(data.imageSize(), data.imageSize(), data.fovDegrees());
    List<float[]> scenes = GuidedReconstruction.sample(model, 2, CPU, 4);
    List<float[]> expected = new ArrayList<>();
    float[][] a = model.render(scenes, Collections.nCopies(2, Camera.orbit(data.cameraRadius(), 10, 30, in)), CPU);
    float[][] b = model.render(scenes, Collections.nCopies(2, Camera.orbit(data.cameraRadius(), 250, 5, in)), CPU);
    expected.addAll(List.of(a[0], b[0], a[1], b[1]));
    assertThat(served).containsExactly(ViewRequests.stack(expected, data.imageSize()).toFloatArray());
  }

  @Test
  void control3diffRendersTheResultsOfAControlImage(@TempDir Path dir) throws Exception {
    Control3DiffFolderModels provider = new Control3DiffFolderModels();
    Path folder = provider.writeExample(dir);
    var request = provider.exampleRequests().get(0);
    float[] served;
    try (FolderModel m = provider.open(folder, CPU)) {
      assertThat(m.parameters().get("controls").toString()).isEqualTo("[\"image\"]");
      served = m.generate(request).get(0).tensor().toFloatArray();
      assertThatThrownBy(() -> m.generate(JSON.readTree("{\"count\":1}"))).isInstanceOf(ConfigException.class)
          .hasMessageContaining("image is required");
      var edges = ((com.fasterxml.jackson.databind.node.ObjectNode) request.deepCopy()).put("control", "edges");
      assertThatThrownBy(() -> m.generate(edges)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("control `edges`: this model has priors for [image]");
      var route = ((com.fasterxml.jackson.databind.node.ObjectNode) request.deepCopy()).put("route", "fast");
      assertThatThrownBy(() -> m.generate(route)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("route must be conditioning, guidance or guidance-langevin, got `fast`");
    }
    Control3Diff model = Control3Diff.fromExports(folder);
    MultiViewDataset.Config scenes = MultiViewDataset.Config.defaults();
    Intrinsics in = Intrinsics.fromFov(8, 8, scenes.fovDegrees());
    float[] rgb = ViewRequests.image(request.get("image"), 8);
    List<float[]> styles = model.sample(ControlledSampler.Route.CONDITIONING, ControlSignal.IMAGE,
        ControlSignal.IMAGE.of(rgb, 8), Camera.orbit(scenes.cameraRadius(), 30, 15, in), 2,
        ControlledSampler.Settings.defaults(), CPU, 3);
    float[][][] views = model.render(styles, List.of(Camera.orbit(scenes.cameraRadius(), 0, 30, in),
        Camera.orbit(scenes.cameraRadius(), 120, 20, in)), CPU);
    List<float[]> expected = new ArrayList<>();
    for (float[][] row : views) {
      expected.addAll(List.of(row));
    }
    assertThat(served).containsExactly(ViewRequests.stack(expected, 8).toFloatArray());
  }

  @Test
  void aPictureMayComeAsABase64PngAndReadsAsItsPixels() throws Exception {
    int side = 8;
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(side, side,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    com.fasterxml.jackson.databind.node.ArrayNode numbers = JSON.createArrayNode();
    int[][] rgb = new int[side * side][];
    for (int p = 0; p < side * side; p++) {
      rgb[p] = new int[] {(37 * p) % 256, (91 * p + 13) % 256, (255 - 3 * p) % 256};
      img.setRGB(p % side, p / side, (rgb[p][0] << 16) | (rgb[p][1] << 8) | rgb[p][2]);
    }
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < side * side; p++) {
        numbers.add(rgb[p][c] / 255.0);
      }
    }
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", png);
    String b64 = java.util.Base64.getEncoder().encodeToString(png.toByteArray());
    float[] fromNumbers = ViewRequests.image(numbers, side);
    assertThat(ViewRequests.image(JSON.getNodeFactory().textNode(b64), side)).containsExactly(fromNumbers);
    assertThat(ViewRequests.image(JSON.getNodeFactory().textNode("data:image/png;base64," + b64), side))
        .containsExactly(fromNumbers);
    assertThatThrownBy(() -> ViewRequests.image(JSON.getNodeFactory().textNode(b64), 16))
        .isInstanceOf(ConfigException.class).hasMessageContaining("the picture is 8×8 but the model takes 16×16");
    assertThatThrownBy(() -> ViewRequests.image(JSON.getNodeFactory().textNode("bm90IGEgcGljdHVyZQ=="), side))
        .isInstanceOf(ConfigException.class).hasMessageContaining("is not a PNG");
    assertThatThrownBy(() -> ViewRequests.image(JSON.getNodeFactory().textNode("%%%"), side))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not base64");
  }
}
