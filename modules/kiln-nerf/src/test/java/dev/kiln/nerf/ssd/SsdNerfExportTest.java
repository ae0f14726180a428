package dev.kiln.nerf.ssd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported decoder and denoiser compute what the training graphs compute with the trained weights, and
 * the model loaded back from the two files reconstructs exactly as the trained one.
 */
class SsdNerfExportTest {

  private static final MultiViewDataset DATA = TinyModels.data(3, 1, 2, 8);
  private static final Map<String, String> PROVENANCE = Map.of("seed", "5", "data_name", "tiny");
  private static SsdNerf trained;

  @TempDir
  Path dir;

  @BeforeAll
  static void train() {
    trained = SsdNerf.initialize(TinyModels.config(4, new SsdNerfConfig.Reconstruction(3, 300.0, 16, 1, 2, null,
        null, null, 16)), 5);
    SsdTrainer.train(trained, SsdTrainer.Schedule.SINGLE_STAGE, DATA.train(), TinyModels.BACKEND, 5, 2,
        new PrintStream(OutputStream.nullOutputStream()));
  }

  @Test
  void exportedDecoderMatchesTheFieldGraphOnTheTrainedWeights() {
    TriplaneField field = trained.field();
    long points = 8L * 8 * trained.config().model().samplesPerRay();
    Graph g = new Graph("live_field");
    Value code = g.input("code", Shape.of(1, field.config().codeChannels(), field.config().resolution(),
        field.config().resolution()));
    TriplaneField.Samples s = field.build(g, code, g.input("points", Shape.of(1, points, 3)));
    Map<String, Tensor> feeds = Map.of("code", random(7, 1, field.config().codeChannels(), field.config().resolution(),
        field.config().resolution()), "points", random(8, 1, points, 3));
    try (CompiledGraph live = new CompiledGraph(g, Map.of("density", s.density(), "color", s.color()),
        trained.decoderWeights(), TinyModels.BACKEND);
        Session exported = TinyModels.BACKEND.load(SsdNerfExport.decoder(trained, DATA.config(), PROVENANCE))) {
      live.in("code").copyFrom(feeds.get("code"));
      live.in("points").copyFrom(feeds.get("points"));
      live.run();
      Map<String, Tensor> out = exported.run(feeds);
      // Initializers in place of bound inputs let ONNX Runtime fold differently: equal to a few float ulps.
      assertClose(out.get("density").toFloatArray(), live.out("density").toFloatArray());
      assertClose(out.get("color").toFloatArray(), live.out("color").toFloatArray());
    }
  }

  @Test
  void exportedDenoiserMatchesThePriorEmaThatTestTimeUses() {
    int size = trained.field().config().codeSize();
    Tensor xt = random(9, size);
    try (CompiledGraph live = trained.graphs().denoiser(1, trained.priorAverage(), TinyModels.BACKEND);
        Session exported = TinyModels.BACKEND.load(SsdNerfExport.denoiser(trained, DATA.config(), PROVENANCE))) {
      live.in("x_t").floats().put(0, xt.toFloatArray());
      live.in("t").set(0, 37);
      live.run();
      Map<String, Tensor> out = exported.run(Map.of("x_t", live.in("x_t"), "t", live.in("t")));
      assertClose(out.get("v").toFloatArray(), live.out("v").toFloatArray());
    }
  }

  @Test
  void modelLoadedFromTheTwoFilesReconstructsExactlyAsTheTrainedOne() throws IOException {
    SsdNerfExport.write(trained, DATA.config(), PROVENANCE, dir);
    SsdNerf loaded = SsdNerfExport.load(dir);
    assertThat(loaded.config()).isEqualTo(trained.config());
    assertThat(loaded.norm()).isEqualTo(trained.norm());
    assertThat(SsdNerfExport.data(dir)).isEqualTo(DATA.config());
    GuidedReconstruction.Result a = GuidedReconstruction.reconstruct(trained, DATA.test(), 1, TinyModels.BACKEND, 3);
    GuidedReconstruction.Result b = GuidedReconstruction.reconstruct(loaded, DATA.test(), 1, TinyModels.BACKEND, 3);
    assertThat(b.finetuned().get(0)).containsExactly(a.finetuned().get(0));
    assertThat(dev.kiln.graph.onnx.ModelReader.read(dir.resolve(SsdNerfExport.DENOISER)).metadata())
        .containsEntry("seed", "5").containsEntry("kiln.method", "ssdnerf").containsEntry("weights", "ema");
  }

  @Test
  void aDenoiserThatIsNotThisModelsIsRefusedNamingTheFileAndInitializer() throws IOException {
    SsdNerfExport.write(trained, DATA.config(), PROVENANCE, dir);
    Files.copy(dir.resolve(SsdNerfExport.DECODER), dir.resolve(SsdNerfExport.DENOISER),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> SsdNerfExport.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve(SsdNerfExport.DENOISER).toString()).hasMessageContaining("initializer `prior.");
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double worst = 0;
    for (int i = 0; i < actual.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1e-6 + Math.abs(expected[i])));
    }
    assertThat(worst).as("largest relative difference").isLessThan(1e-5);
  }

  private static Tensor random(long seed, long... shape) {
    Tensor t = Tensor.zeros(DType.FLOAT, shape);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, 2 * rng.nextDouble() - 1);
    }
    return t;
  }

}
