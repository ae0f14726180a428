package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.DeType;
import dev.kiln.spi.process.AgmProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Sampler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The SDE samplers and Euler on the ODE, driven by the ideal model of Gaussian data N(0.5, 0.3²). */
class SdeSamplersTest {

  private static final AgmProcess SDE = AgmProcess.defaults().withDeType(DeType.SDE);
  private static final AgmProcess ODE = AgmProcess.defaults();

  private static void assertReachesData(Sampler sampler, AgmProcess process, int steps) {
    Tensor out = sampler.sample(new GaussianPhaseData(0.5, 0.3, process).denoiser(), new long[] {4000, 2}, steps,
        new SplittableRandom(2));
    assertThat(Moments.mean(out)).as("sample mean after %d steps (data 0.5)", steps).isCloseTo(0.5, offset(0.012));
    assertThat(Moments.std(out)).as("sample std after %d steps (data 0.3)", steps).isCloseTo(0.3, offset(0.012));
  }

  @Test
  void eulerMaruyamaReachesGaussianData() {
    EulerMaruyamaSampler s = new EulerMaruyamaSampler(AgmSamplerConfig.of(SDE));
    assertThat(s.promises().stochastic()).isTrue();
    assertReachesData(s, SDE, 400);
  }

  @Test
  void sscsReachesGaussianData() {
    assertReachesData(new SscsSampler(AgmSamplerConfig.of(SDE)), SDE, 400);
  }

  @Test
  void sscsWithoutEarlyPredictionReachesGaussianData() {
    assertReachesData(new SscsSampler(AgmSamplerConfig.of(SDE).withPredictX1(false)), SDE, 400);
  }

  @Test
  void eulerOnTheProbabilityFlowIsDeterministicAndReachesGaussianData() {
    EulerMaruyamaSampler s = new EulerMaruyamaSampler(AgmSamplerConfig.of(ODE));
    assertThat(s.promises().stochastic()).isFalse();
    assertReachesData(s, ODE, 200);
  }

  @Test
  void sscsRefusesAProbabilityFlowModel() {
    assertThatThrownBy(() -> new SscsSampler(AgmSamplerConfig.of(ODE))).hasMessageContaining("de_type");
  }
}
