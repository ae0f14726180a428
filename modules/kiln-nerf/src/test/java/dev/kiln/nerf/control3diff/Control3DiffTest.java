package dev.kiln.nerf.control3diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole model: saved and loaded it samples the same; exported it computes what it trained with. */
class Control3DiffTest {

  private static final PriorConfig PRIOR = new PriorConfig(16, 1, 8, 2, 100, null, null, null, null, 4, 2, null);

  private static Control3Diff model() {
    TriplaneGan gan = TinyGan.sensitive(6);
    View view = TinyGan.views(1).get(0);
    GanSamples data = GanSamples.draw(gan, 8, List.of(view.camera()), TinyGan.BACKEND, 2);
    LatentPrior unconditional = LatentPrior.initialize(PRIOR, null, 8, 8, data, 1);
    LatentPrior edges = LatentPrior.initialize(PRIOR, ControlSignal.EDGES, 8, 8, data, 2);
    edges.train(data, TinyGan.BACKEND, 2, 1, null, null);
    return new Control3Diff(gan, Map.of(ControlSignal.EDGES, edges), unconditional);
  }

  @Test
  void savedAndLoadedModelSamplesTheSameOnBothRoutes(@TempDir Path dir) throws IOException {
    Control3Diff m = model();
    m.save(dir);
    Control3Diff back = Control3Diff.load(dir);
    View view = TinyGan.views(1).get(0);
    assertSamplesAndRendersAlike(m, back);
    ControlledSampler.Settings s = ControlledSampler.Settings.defaults().withSteps(3);
    assertThatThrownBy(() -> back.sample(ControlledSampler.Route.CONDITIONING, ControlSignal.IMAGE, view.rgb(),
        view.camera(), 1, s, TinyGan.BACKEND, 1)).hasMessageContaining("no prior conditioned on image")
        .hasMessageContaining("edges");
  }

  @Test
  void theModelRebuiltFromItsExportsSamplesTheSameAndKeepsItsProvenance(@TempDir Path dir) throws IOException {
    Control3Diff m = model();
    m.recordProvenance(Map.of("recipe", "{}", "seed", "4", "source_commit", "0123abc"));
    m.save(dir.resolve("model"));
    Control3Diff.load(dir.resolve("model")).export(dir.resolve("onnx"), 1);
    Control3Diff back = Control3Diff.fromExports(dir.resolve("onnx"));
    assertThat(back.provenance()).containsEntry("source_commit", "0123abc").containsEntry("seed", "4");
    assertThat(dev.kiln.graph.onnx.ModelReader.read(dir.resolve("onnx/prior-edges.onnx")).metadata())
        .containsEntry("source_commit", "0123abc").containsKey("prior_config");
    assertSamplesAndRendersAlike(m, back);
  }

  /** Both models sample the same styles on both routes (edge control) and render them alike. */
  private static void assertSamplesAndRendersAlike(Control3Diff m, Control3Diff back) {
    View view = TinyGan.views(1).get(0);
    float[] c = ControlSignal.EDGES.of(view.rgb(), 8);
    ControlledSampler.Settings s = ControlledSampler.Settings.defaults().withSteps(3);
    for (ControlledSampler.Route r : List.of(ControlledSampler.Route.CONDITIONING, ControlledSampler.Route.GUIDANCE)) {
      List<float[]> a = m.sample(r, ControlSignal.EDGES, c, view.camera(), 2, s, TinyGan.BACKEND, 3);
      List<float[]> b = back.sample(r, ControlSignal.EDGES, c, view.camera(), 2, s, TinyGan.BACKEND, 3);
      assertThat(b).as(r.id()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(a);
      assertThat(back.render(b, List.of(view.camera()), TinyGan.BACKEND)[0][0])
          .containsExactly(m.render(a, List.of(view.camera()), TinyGan.BACKEND)[0][0]);
    }
  }

  @Test
  void missingOrBrokenFilesAreNamed(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Control3Diff.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("gan.safetensors");
    model().save(dir);
    Files.delete(dir.resolve("prior-unconditional.safetensors"));
    assertThatThrownBy(() -> Control3Diff.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("prior-unconditional.safetensors");
  }

  @Test
  void exportedGeneratorAndPriorMatchTheTrainingGraphs(@TempDir Path dir) throws IOException {
    Control3Diff m = model();
    m.export(dir, 2);
    assertThat(dir.resolve("prior-edges.onnx")).exists();
    TriplaneGan gan = m.gan();
    View view = TinyGan.views(1).get(0);
    SplittableRandom rng = new SplittableRandom(8);
    try (CompiledGraph live = gan.renderer(2, TinyGan.BACKEND);
        Session exported = TinyGan.BACKEND.load(Files.readAllBytes(dir.resolve("generator.onnx")))) {
      fill(live.in("w"), rng);
      gan.fillRays(live, List.of(view.camera(), view.camera()), rng);
      live.run();
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      for (String in : exported.inputNames()) {
        feeds.put(in, live.in(in));
      }
      float[] a = live.out("image").toFloatArray();
      float[] b = exported.run(feeds).get("image").toFloatArray();
      assertThat(maxDifference(a, b)).isLessThan(1e-5);
      assertThat(maxDifference(a, new float[a.length])).as("images are not blank").isGreaterThan(0.1);
    }
    LatentPrior prior = m.prior(ControlledSampler.Route.CONDITIONING, ControlSignal.EDGES);
    // A non-zero output layer, so the comparison sees the whole network.
    prior.weights().forEach((name, w) -> {
      if (name.startsWith("prior.out.") || name.contains("film")) {
        fill(w, rng);
      }
    });
    try (CompiledGraph live = prior.denoiser(2, TinyGan.BACKEND);
        Session exported = TinyGan.BACKEND.load(Files.readAllBytes(dir.resolve("prior-edges.onnx")))) {
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      for (String in : List.of("x_t", "t", "control", "pose", "keep")) {
        fill(live.in(in), rng);
        feeds.put(in, live.in(in));
      }
      live.run();
      float[] a = live.out("eps").toFloatArray();
      // The export was written before the layers above were filled: re-export to compare like with like.
      Session fresh = TinyGan.BACKEND.load(prior.export(2, Map.of()));
      float[] b = fresh.run(feeds).get("eps").toFloatArray();
      fresh.close();
      assertThat(maxDifference(a, b)).isLessThan(1e-5);
      assertThat(maxDifference(a, exported.run(feeds).get("eps").toFloatArray())).as("the file holds the old weights")
          .isGreaterThan(1e-4);
    }
  }

  private static void fill(Tensor t, SplittableRandom rng) {
    for (int i = 0; i < t.size(); i++) {
      t.set(i, rng.nextDouble());
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
