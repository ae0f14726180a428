package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.DeType;
import dev.kiln.spi.process.AgmProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GddimSamplerTest {

  private static final AgmProcess ODE = AgmProcess.defaults();
  private static final GaussianPhaseData DATA = new GaussianPhaseData(0.5, 0.3, ODE);

  @Test
  void orderZeroStepsAreExactForAConstantModelOutput() {
    double c = 0.37;
    Denoiser constant = (state, t) -> {
      Tensor x = state.x();
      Tensor v = state.velocity("the model");
      Tensor out = Tensor.zeros(dev.kiln.graph.DType.FLOAT, x.shape());
      out.fill(c);
      return out;
    };
    AgmSamplerConfig cfg = AgmSamplerConfig.of(ODE).withGddimOrder(0).withPredictX1(false).withHop(0.9);
    long[] shape = {3, 2};
    Tensor got = new GddimSampler(cfg).sample(constant, shape, 7, new SplittableRandom(4));
    // x' = v, v' = N(t)·c from the prior state: x(T) = x₀ + (T − t₀)·v₀ + c·∫(T − s)N(s) ds, by Simpson's rule
    double t0 = cfg.t0();
    double end = cfg.tEnd();
    int n = 200_000;
    double h = (end - t0) / n;
    double integral = 0;
    for (int i = 0; i <= n; i++) {
      double s = t0 + i * h;
      double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
      integral += w * (end - s) * ODE.at(s).normalizer();
    }
    integral *= h / 3;
    double[][] prior = AgmSampler.prior(ODE, 6, new SplittableRandom(4));
    for (int i = 0; i < got.size(); i++) {
      double exact = prior[0][i] + (end - t0) * prior[1][i] + c * integral;
      assertThat(got.get(i)).as("x(T) element %d", i).isCloseTo(exact, offset(2e-6 * (1 + Math.abs(exact))));
    }
  }

  @Test
  void reachesGaussianDataDrivenByTheIdealModel() {
    Tensor out = new GddimSampler(AgmSamplerConfig.of(ODE)).sample(DATA.denoiser(), new long[] {4000, 2}, 100,
        new SplittableRandom(2));
    assertThat(Moments.mean(out)).as("sample mean (data 0.5)").isCloseTo(0.5, offset(0.01));
    assertThat(Moments.std(out)).as("sample std (data 0.3)").isCloseTo(0.3, offset(0.01));
  }

  @Test
  void convergesAtItsDeclaredOrder() {
    for (int r = 0; r <= 2; r++) {
      GddimSampler s = new GddimSampler(AgmSamplerConfig.of(ODE).withGddimOrder(r));
      long[] shape = {256, 2};
      Tensor ref = s.sample(DATA.denoiser(), shape, 1000, new SplittableRandom(3));
      double e25 = Moments.rms(s.sample(DATA.denoiser(), shape, 25, new SplittableRandom(3)), ref);
      double e50 = Moments.rms(s.sample(DATA.denoiser(), shape, 50, new SplittableRandom(3)), ref);
      assertThat(e25 / e50).as("gddim_order %d: error 25 steps %.3g, 50 steps %.3g", r, e25, e50)
          .isGreaterThanOrEqualTo(0.6 * Math.pow(2, s.promises().order()));
    }
  }

  @Test
  void callsTheModelOncePerStepAtTheGridTimes() {
    GddimSampler s = new GddimSampler(AgmSamplerConfig.of(ODE).withHop(0.7));
    double[] expected = s.timesteps(6);
    AtomicInteger calls = new AtomicInteger();
    Denoiser inner = DATA.denoiser();
    s.sample((state, t) -> {
      Tensor x = state.x();
      Tensor v = state.velocity("the model");
      assertThat(t).isEqualTo(expected[calls.getAndIncrement()]);
      return inner.predict(x, v, t);
    }, new long[] {2, 3}, 6, new SplittableRandom(1));
    assertThat(calls.get()).isEqualTo(s.evaluations(6));
    assertThat(expected[0]).isEqualTo(1e-5, offset(1e-18));
    assertThat(expected[5]).isEqualTo(0.7);
    assertThat(Math.sqrt(expected[2]) - Math.sqrt(expected[1])).as("rev-quad: uniform in √t")
        .isCloseTo(Math.sqrt(expected[1]) - Math.sqrt(expected[0]), offset(1e-12));
  }

  @Test
  void sameSeedGivesBitIdenticalSamples() {
    GddimSampler s = new GddimSampler(AgmSamplerConfig.of(ODE).withHop(0.8));
    Tensor a = s.sample(DATA.denoiser(), new long[] {64, 2}, 10, new SplittableRandom(5));
    Tensor b = s.sample(DATA.denoiser(), new long[] {64, 2}, 10, new SplittableRandom(5));
    Tensor c = s.sample(DATA.denoiser(), new long[] {64, 2}, 10, new SplittableRandom(6));
    assertThat(a.contentEquals(b)).isTrue();
    assertThat(a.contentEquals(c)).isFalse();
  }

  @Test
  void refusesAnSdeModel() {
    assertThatThrownBy(() -> new GddimSampler(AgmSamplerConfig.of(ODE.withDeType(DeType.SDE))))
        .hasMessageContaining("de_type");
  }
}
