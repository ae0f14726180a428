package dev.kiln.nerf.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Renderer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The volume renderer against closed forms, with rays and samples from the stratified sampler. */
class VolumeRendererTest {

  private static final double[] WHITE = {1, 1, 1};

  @Test
  void constantDensityCubeGivesOneMinusExpOfSigmaTimesChord() {
    Camera cam = Camera.orbit(3, 20, 25, Intrinsics.fromFov(12, 12, 50));
    Rays rays = cam.rays();
    StratifiedSampler sampler = new StratifiedSampler(16, Aabb.unit(), 0);
    RaySamples s = sampler.sample(rays, new SplittableRandom(3));
    double sigma = 0.7;
    Tensor density = Tensor.zeros(DType.DOUBLE, s.rays(), s.samples());
    density.fill(sigma);
    Tensor color = Tensor.zeros(DType.DOUBLE, s.rays(), s.samples(), 3);
    Renderer.HostRays out = VolumeRenderer.standard().render(density, color, s.tTensor(), s.deltaTensor(), WHITE);
    int hits = 0;
    for (int r = 0; r < rays.count(); r++) {
      double[] nf = Aabb.unit().nearFar(rays, r, 0);
      double chord = nf[1] - nf[0];
      hits += chord > 0 ? 1 : 0;
      assertThat(out.opacity().get(r)).as("ray %d, chord %.3f", r, chord)
          .isCloseTo(1 - Math.exp(-sigma * chord), within(1e-5));
    }
    assertThat(hits).as("rays through the cube").isGreaterThan(rays.count() / 4);
  }

  @Test
  void expectedDepthOfAThinOpaqueShellIsItsDistance() {
    Tensor density = Tensor.zeros(DType.DOUBLE, 1, 10);
    Tensor t = Tensor.zeros(DType.DOUBLE, 1, 10);
    Tensor delta = Tensor.zeros(DType.DOUBLE, 1, 10);
    for (int k = 0; k < 10; k++) {
      t.set(k, 1 + 0.1 * k);
      delta.set(k, 0.1);
    }
    density.set(6, 1e6);
    Renderer.HostRays out = VolumeRenderer.standard().render(density, Tensor.zeros(DType.DOUBLE, 1, 10, 3), t, delta,
        WHITE);
    assertThat(out.depth().get(0)).isCloseTo(1.6, within(1e-9));
    assertThat(out.rgb().get(0)).as("black shell hides the white background").isCloseTo(0, within(1e-9));
  }

  @Test
  void raysMissingTheBoxGetNoSamplesAndShowTheBackground() {
    float[] o = {0, 3, 0};
    float[] d = {0, 0, 1};
    RaySamples s = new StratifiedSampler(8, Aabb.unit(), 0).sample(new Rays(o, d), null);
    for (float delta : s.delta()) {
      assertThat(delta).isZero();
    }
    Tensor density = Tensor.zeros(DType.FLOAT, 1, 8);
    density.fill(100);
    Renderer.HostRays out = VolumeRenderer.standard().render(density, Tensor.zeros(DType.FLOAT, 1, 8, 3),
        s.tTensor(), s.deltaTensor(), new double[] {0.2, 0.4, 0.6});
    assertThat(out.rgb().get(2)).isCloseTo(0.6, within(1e-6));
  }

  @Test
  void stratifiedSamplesStayInsideTheirBins() {
    Rays rays = Camera.orbit(2.5, 0, 30, Intrinsics.fromFov(8, 8, 40)).rays();
    RaySamples s = new StratifiedSampler(5, Aabb.unit(), 0).sample(rays, new SplittableRandom(1));
    for (int r = 0; r < s.rays(); r++) {
      double[] nf = Aabb.unit().nearFar(rays, r, 0);
      double bin = (nf[1] - nf[0]) / 5;
      for (int k = 0; k < 5; k++) {
        double t = s.t()[r * 5 + k];
        assertThat(t).isBetween(nf[0] + k * bin - 1e-5, nf[0] + (k + 1) * bin + 1e-5);
      }
    }
  }
}
