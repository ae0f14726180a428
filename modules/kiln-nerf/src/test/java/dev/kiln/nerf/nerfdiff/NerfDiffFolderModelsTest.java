package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation.Mode;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.Providers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exported NerfDiff folder as a served model: a camera gives the image kiln nerfdiff reconstruct renders. */
class NerfDiffFolderModelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Path folder;

  @BeforeAll
  static void export() throws Exception {
    folder = new NerfDiffFolderModels().writeExample(dir);
  }

  @Test
  void theProviderIsFoundAndRecognisesExportsOnly() {
    FolderModelProvider p = Providers.load(FolderModelProvider.class).get("nerfdiff");
    assertThat(p).isInstanceOf(NerfDiffFolderModels.class);
    assertThat(p.recognises(folder)).isTrue();
    assertThat(p.recognises(dir)).isFalse();
  }

  @Test
  void anImageAndCamerasGiveTheViewsOfTheReconstructionPath() throws Exception {
    NerfDiff model = NerfDiff.fromExports(folder.resolve(NerfDiffFolderModels.NERF_FILE),
        folder.resolve(NerfDiffFolderModels.CDM_FILE));
    int s = model.config().model().imageSize();
    float[] rgb = new float[3 * s * s];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (float) (0.5 + 0.4 * Math.sin(0.37 * i));
    }
    StringBuilder image = new StringBuilder("[");
    for (int i = 0; i < rgb.length; i++) {
      image.append(i > 0 ? "," : "").append(rgb[i]);
    }
    String request = "{\"image\":" + image + "],\"azimuth\":40,\"elevation\":12,\"views\":[[0,30],[200,20]]}";
    Tensor served;
    try (FolderModel m = new NerfDiffFolderModels().open(folder, TinyNerfDiff.BACKEND)) {
      List<FolderModel.Output> out = m.generate(JSON.readTree(request));
      assertThat(out).hasSize(1);
      assertThat(out.get(0).name()).isEqualTo("images");
      served = out.get(0).tensor();
    }
    assertThat(served.shape()).containsExactly(2, 3, s, s);
    MultiViewDataset.Config dc = NerfDiffTool.dataset(model.config());
    Intrinsics in = Intrinsics.fromFov(s, s, dc.fovDegrees());
    View input = new View(Camera.orbit(dc.cameraRadius(), 40, 12, in), rgb, null, null);
    List<Camera> ring = new ArrayList<>();
    for (int k = 0; k < MultiViewDataset.HELD_OUT_VIEWS; k++) {
      ring.add(Camera.orbit(dc.cameraRadius(), 360.0 * k / MultiViewDataset.HELD_OUT_VIEWS,
          MultiViewDataset.HELD_OUT_ELEVATION, in));
    }
    List<Camera> wanted = List.of(Camera.orbit(dc.cameraRadius(), 0, 30, in),
        Camera.orbit(dc.cameraRadius(), 200, 20, in));
    try (NerfGuidedDistillation ngd = new NerfGuidedDistillation(model, ring.size(), TinyNerfDiff.BACKEND);
        TriplaneFit view = new TriplaneFit(model, model.config().distillation().raysPerStep(), TinyNerfDiff.BACKEND)) {
      NerfGuidedDistillation.Result r = ngd.run(input, ring, Mode.NERF_ONLY, model.config().distillation(), 0);
      float[][] images = view.start(r.plane(), r.decoder(), input.camera(), 1e-3).render(wanted);
      float[] all = served.toFloatArray();
      for (int v = 0; v < 2; v++) {
        float[] one = java.util.Arrays.copyOfRange(all, v * 3 * s * s, (v + 1) * 3 * s * s);
        assertThat(one).as("view %d", v).containsExactly(images[v]);
      }
    }
  }

  @Test
  void badInputViewsAndCamerasAreRefusedNamingTheField() throws Exception {
    try (FolderModel m = new NerfDiffFolderModels().open(folder, TinyNerfDiff.BACKEND)) {
      assertRefused(m, "{}", "give the input view as one of `image`");
      assertRefused(m, "{\"scene\":0,\"image\":[0]}", "give the input view as one of `image`");
      assertRefused(m, "{\"scene\":99}", "scene must be an integer in 0..7, got 99");
      assertRefused(m, "{\"scene\":0,\"azimuth\":3}", "azimuth and elevation describe an `image`");
      assertRefused(m, "{\"image\":[0.5,0.5]}", "image must hold 3 × 8 × 8 = 192 values, got 2");
      assertRefused(m, "{\"image\":[[[[1]]]]}", "must be a number or an array of at most 3 levels");
      assertRefused(m, "{\"scene\":0,\"views\":[[0]]}", "views[0] must be an [azimuth, elevation] pair");
      assertRefused(m, "{\"scene\":0,\"views\":[[0,\"up\"]]}", "views[0][1] must be a finite number");
      assertRefused(m, "{\"scene\":0,\"views\":[]}", "views must be a list of 1 to 64");
      assertRefused(m, "{\"scene\":0,\"ngd\":1}", "ngd must be true or false, got 1");
      assertRefused(m, "{\"scene\":0,\"steps\":3}", "unknown field `steps`");
    }
  }

  private static void assertRefused(FolderModel m, String request, String message) {
    assertThatThrownBy(() -> m.generate(JSON.readTree(request))).as(request).isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
