package dev.kiln.diffusion.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.diffusion.samplers.DdimSampler;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SignalGridTest {

  /** A smooth, non-linear x̂₀ prediction that depends on t. */
  private static final Denoiser TEACHER = (state, t) -> {
    Tensor x = state.x();
    Tensor out = x.copy();
    for (int i = 0; i < out.size(); i++) {
      out.set(i, 0.8 * Math.tanh(1.5 * x.get(i)) + (i % 2 == 0 ? 1 : -1) * t / 2000);
    }
    return out;
  };

  @Test
  void nodesAreTheTrailingDdimTimestepsThenTheCleanEnd() {
    SignalGrid grid = SignalGrid.of(TinyTeachers.ddim(), 32);
    assertThat(grid.steps()).isEqualTo(32);
    for (int k = 0; k < 32; k++) {
      assertThat(grid.timestep(k)).isEqualTo(1023 - 32 * k);
    }
    assertThat(grid.timestep(32)).isEqualTo(SignalGrid.CLEAN_TIMESTEP);
    assertThat(grid.alpha(32)).isEqualTo(1);
    assertThat(grid.sigma(32)).isZero();
  }

  @Test
  void deltaGrowsFromTheMiddleToOneAtTheCleanEnd() {
    SignalGrid grid = SignalGrid.of(TinyTeachers.ddim(), 8);
    assertThat(grid.delta(7)).isEqualTo(1);
    for (int k = 0; k < 8; k++) {
      assertThat(grid.delta(k)).as("δ of interval %d", k).isGreaterThan(0).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void signalSpaceStepsReproduceDdimFromTheSameNoise() {
    DdimSampler ddim = TinyTeachers.ddim();
    int steps = 8;
    long[] shape = {64, 2};
    Tensor expected = ddim.sample(TEACHER, shape, steps, new SplittableRandom(3));

    SignalGrid grid = SignalGrid.of(ddim, steps);
    SplittableRandom rng = new SplittableRandom(3);
    double[] eps = new double[128];
    double[] y = new double[128];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = rng.nextGaussian();
      y[i] = (eps[i] - grid.sigma(0) * eps[i]) / grid.alpha(0);
    }
    for (int k = 0; k < steps; k++) {
      float[] x = new float[128];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (grid.alpha(k) * y[i] + grid.sigma(k) * eps[i]);
      }
      Tensor f = TEACHER.predict(Tensor.of(x, shape), grid.timestep(k));
      for (int i = 0; i < y.length; i++) {
        y[i] += grid.delta(k) * (f.get(i) - y[i]);
      }
    }
    for (int i = 0; i < y.length; i++) {
      assertThat(y[i]).as("element %d", i).isCloseTo(expected.get(i), within(2e-5));
    }
  }
}
