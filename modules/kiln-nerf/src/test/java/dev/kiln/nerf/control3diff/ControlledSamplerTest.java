package dev.kiln.nerf.control3diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.nerf.render.FiniteDifference;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.Tensor;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The guidance gradient and the sampling routes on a small untrained GAN and prior. */
class ControlledSamplerTest {

  private static final PriorConfig PRIOR = new PriorConfig(16, 1, 8, 2, 100, null, null, null, null, 4, 2, null);

  @Test
  void guidanceGradientMatchesFiniteDifferencesForEveryControl() {
    TriplaneGan gan = TriplaneGan.initialize(TinyGan.config(0), 2);
    View view = TinyGan.views(1).get(0);
    for (ControlSignal control : ControlSignal.values()) {
      try (CompiledGraph g = ControlledSampler.guidance(gan, control, 1, TinyGan.BACKEND)) {
        g.in("target").floats().put(0, control.of(view.rgb(), 8));
        gan.fillRays(g, List.of(view.camera()), null);
        Tensor w = g.in("w");
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < w.size(); i++) {
          w.set(i, rng.nextGaussian());
        }
        g.run();
        float[] analytic = g.out("grad:w").toFloatArray();
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < w.size(); i++) {
          double numeric = FiniteDifference.central(g, w, i, 1e-2);
          largest = Math.max(largest, Math.abs(numeric));
          worst = Math.max(worst, Math.abs(numeric - analytic[i]) - 2e-2 * Math.abs(numeric));
        }
        assertThat(largest).as(control.id() + ": the rendering depends on w").isGreaterThan(1e-5);
        assertThat(worst).as(control.id() + ": worst excess over 2e-2·|fd|").isLessThan(1e-4);
      }
    }
  }

  @Test
  void guidanceBringsTheRenderingCloserToTheControlThanThePriorAlone() {
    TriplaneGan gan = TinyGan.sensitive(4);
    View view = TinyGan.views(1).get(0);
    GanSamples data = GanSamples.draw(gan, 8, List.of(view.camera()), TinyGan.BACKEND, 1);
    LatentPrior prior = LatentPrior.initialize(PRIOR, null, gan.config().style(), 8, data, 3);
    float[] target = view.rgb();
    float[] c = ControlSignal.IMAGE.of(target, 8);
    ControlledSampler.Settings s = ControlledSampler.Settings.defaults().withSteps(6);
    double unguided = loss(gan, ControlledSampler.sample(ControlledSampler.Route.GUIDANCE, prior, gan,
        ControlSignal.IMAGE, c, view.camera(), 2, s.withGuidanceScale(0), TinyGan.BACKEND, 9), view, target);
    double guided = loss(gan, ControlledSampler.sample(ControlledSampler.Route.GUIDANCE, prior, gan,
        ControlSignal.IMAGE, c, view.camera(), 2, s.withGuidanceScale(1e5), TinyGan.BACKEND, 9), view, target);
    // An untrained generator reaches little of a real view; the guided samples must still be closer.
    assertThat(guided).isLessThan(unguided - 5e-4);
  }

  @Test
  void sameSeedGivesTheSameSamplesOnEveryRoute() {
    TriplaneGan gan = TriplaneGan.initialize(TinyGan.config(0), 4);
    View view = TinyGan.views(1).get(0);
    GanSamples data = GanSamples.draw(gan, 8, List.of(view.camera()), TinyGan.BACKEND, 1);
    LatentPrior conditional = LatentPrior.initialize(PRIOR, ControlSignal.EDGES, gan.config().style(), 8, data, 3);
    conditional.train(data, TinyGan.BACKEND, 1, 1, null, null);
    float[] c = ControlSignal.EDGES.of(view.rgb(), 8);
    ControlledSampler.Settings s = ControlledSampler.Settings.defaults().withSteps(3);
    for (ControlledSampler.Route r : ControlledSampler.Route.values()) {
      List<float[]> a = ControlledSampler.sample(r, conditional, gan, ControlSignal.EDGES, c, view.camera(), 2, s,
          TinyGan.BACKEND, 5);
      List<float[]> b = ControlledSampler.sample(r, conditional, gan, ControlSignal.EDGES, c, view.camera(), 2, s,
          TinyGan.BACKEND, 5);
      List<float[]> other = ControlledSampler.sample(r, conditional, gan, ControlSignal.EDGES, c, view.camera(), 2, s,
          TinyGan.BACKEND, 6);
      assertThat(a).as(r.id()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(b);
      assertThat(a.get(0)).as(r.id()).isNotEqualTo(other.get(0));
      assertThat(a.get(0)).as(r.id() + ": two samples differ").isNotEqualTo(a.get(1));
    }
  }

  @Test
  void conditioningRefusesAPriorOfAnotherControl() {
    TriplaneGan gan = TriplaneGan.initialize(TinyGan.config(0), 4);
    View view = TinyGan.views(1).get(0);
    GanSamples data = GanSamples.draw(gan, 4, List.of(view.camera()), TinyGan.BACKEND, 1);
    LatentPrior edges = LatentPrior.initialize(PRIOR, ControlSignal.EDGES, gan.config().style(), 8, data, 3);
    assertThatThrownBy(() -> ControlledSampler.sample(ControlledSampler.Route.CONDITIONING, edges, gan,
        ControlSignal.IMAGE, view.rgb(), view.camera(), 1, ControlledSampler.Settings.defaults(), TinyGan.BACKEND, 1))
        .hasMessageContaining("image").hasMessageContaining("edges");
  }

  private static double loss(TriplaneGan gan, List<float[]> w, View view, float[] target) {
    List<float[]> images = gan.render(w, Collections.nCopies(w.size(), view.camera()), TinyGan.BACKEND);
    double mse = 0;
    for (float[] img : images) {
      for (int i = 0; i < img.length; i++) {
        mse += (img[i] - target[i]) * (img[i] - target[i]) / img.length / images.size();
      }
    }
    return mse;
  }
}
