package dev.kiln.diffusion.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.PredictionType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Sampler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Samplers driven by the ideal denoiser of Gaussian data N(μ, s²) must return that distribution as
 * the steps grow. For the deterministic samplers the output is an affine function of the initial
 * noise, so its law is known exactly ({@link OutputLaw#ofDeterministic}); their mean is preserved step
 * by step and is off only by the prior mismatch ᾱ_999 ≠ 0 (about 1e-3 here), so the std carries the
 * discretisation error.
 */
class ExactDenoiserConvergenceTest {

  private static final double MU = 0.5;
  private static final double S = 0.3;
  private static final NoiseSchedule LINEAR = DdpmConfig.defaults().schedule().schedule();
  private static final GaussianData DATA = new GaussianData(MU, S, LINEAR);

  private static OutputLaw law(Sampler sampler, int steps) {
    return law(sampler, steps, PredictionType.EPSILON);
  }

  private static OutputLaw law(Sampler sampler, int steps, PredictionType type) {
    return OutputLaw.ofDeterministic(sampler, DATA.denoiser(type), 64, steps, 1);
  }

  private static double stdError(Sampler sampler, int steps) {
    return Math.abs(law(sampler, steps).std() - S);
  }

  /** Convergence order from the std errors at 20 and 100 steps. */
  private static double order(Sampler sampler) {
    return Math.log(stdError(sampler, 20) / stdError(sampler, 100)) / Math.log(5);
  }

  @Test
  void deterministicSamplersConvergeAsStepsGrow() {
    String[][] cases = {
        {"ddim", "{\"clip_sample\": false}", "0.015"},
        {"euler", "{}", "0.015"},
        {"euler", "{\"use_karras_sigmas\": true}", "0.012"},
        {"dpmpp-2m", "{}", "0.0015"},
        {"dpmpp-2m", "{\"use_karras_sigmas\": true}", "0.001"},
        {"unipc", "{}", "0.003"},
        {"unipc", "{\"use_karras_sigmas\": true}", "0.001"}};
    for (String[] c : cases) {
      Sampler sampler = Recipes.sampler(c[0], c[1]);
      double e5 = stdError(sampler, 5);
      double e20 = stdError(sampler, 20);
      double e100 = stdError(sampler, 100);
      assertThat(e20).as("%s %s: std error 5 → 20 steps", c[0], c[1]).isLessThan(e5);
      assertThat(e100).as("%s %s: std error 20 → 100 steps", c[0], c[1]).isLessThan(e20)
          .isLessThan(Double.parseDouble(c[2]));
      for (int steps : new int[] {5, 20, 100}) {
        assertThat(law(sampler, steps).mean()).as("%s %s: mean at %d steps", c[0], c[1], steps)
            .isCloseTo(MU, within(2.5e-3));
      }
    }
  }

  @Test
  void multistepSolversAreHigherOrderThanDdimAndEuler() {
    Sampler ddim = Recipes.sampler("ddim", "{\"clip_sample\": false, \"timestep_spacing\": \"trailing\"}");
    Sampler euler = Recipes.sampler("euler", "{}");
    Sampler dpm = Recipes.sampler("dpmpp-2m", "{}");
    assertThat(stdError(dpm, 20)).isLessThan(stdError(ddim, 20)).isLessThan(stdError(euler, 20) * 1.1);
    assertThat(order(ddim)).isBetween(0.8, 1.2);
    assertThat(order(euler)).isBetween(0.8, 1.2);
    assertThat(order(dpm)).isGreaterThan(1.8);
    Sampler uniPc = Recipes.sampler("unipc", "{}");
    assertThat(stdError(uniPc, 20)).isLessThan(stdError(dpm, 20));
    assertThat(order(uniPc)).isGreaterThan(1.6);
  }

  @Test
  void predictionTypesGiveTheSameSamples() {
    for (String name : DiffusionSamplers.NAMES) {
      Sampler sampler = DiffusionSamplers.of(name);
      float[] eps = sample(sampler, PredictionType.EPSILON);
      for (PredictionType type : new PredictionType[] {PredictionType.SAMPLE, PredictionType.V_PREDICTION}) {
        Sampler typed = Recipes.sampler(name, name.startsWith("dd")
            ? "{\"clip_sample\": false, \"prediction_type\": \"" + type.id() + "\"}"
            : "{\"prediction_type\": \"" + type.id() + "\"}");
        float[] other = sample(typed, type);
        for (int i = 0; i < eps.length; i++) {
          assertThat((double) other[i]).as("%s, %s, [%d]", name, type.id(), i).isCloseTo(eps[i], within(2e-4));
        }
      }
    }
  }

  private static float[] sample(Sampler sampler, PredictionType type) {
    return sampler.sample(DATA.denoiser(type), new long[] {32, 2}, 20, new SplittableRandom(5)).toFloatArray();
  }

  @Test
  void deterministicSamplesHaveTheDataMeanAndStd() {
    assertSamplesMatch("ddim", "{\"clip_sample\": false}", 1000);
    assertSamplesMatch("euler", "{}", 1000);
    assertSamplesMatch("dpmpp-2m", "{}", 100);
    assertSamplesMatch("unipc", "{}", 100);
  }

  @Test
  void stochasticSamplersReachTheDataDistribution() {
    assertSamplesMatch("ddpm", "{\"clip_sample\": false}", 1000);
    assertSamplesMatch("ddim", "{\"clip_sample\": false, \"eta\": 1.0}", 1000);
    assertSamplesMatch("euler-ancestral", "{}", 1000);
    assertSamplesMatch("euler", "{\"s_churn\": 40.0}", 1000);
    assertSamplesMatch("dpmpp-2m-sde", "{}", 100);
  }

  /**
   * 8000 values: the standard errors of mean and std are 0.0034 and 0.0024; the tolerance allows 3.5 of
   * them plus the samplers' own bias at these step counts (up to 0.005: DDPM's posterior variance
   * ignores Var(x₀ | x_t)).
   */
  private static void assertSamplesMatch(String name, String config, int steps) {
    Tensor x = Recipes.sampler(name, config).sample(DATA.denoiser(PredictionType.EPSILON), new long[] {2000, 4},
        steps, new SplittableRandom(1));
    OutputLaw law = OutputLaw.ofSamples(x);
    assertThat(law.mean()).as("%s %s, %d steps: mean", name, config, steps).isCloseTo(MU, within(0.012));
    assertThat(law.std()).as("%s %s, %d steps: std", name, config, steps).isCloseTo(S, within(0.012));
  }

  @Test
  void zeroTerminalSnrWithVPredictionConverges() {
    String zeroSnr = "{\"timestep_spacing\": \"trailing\", \"rescale_betas_zero_snr\": true,"
        + " \"prediction_type\": \"v_prediction\"%s}";
    Sampler ddim = Recipes.sampler("ddim", zeroSnr.formatted(", \"clip_sample\": false"));
    Sampler dpm = Recipes.sampler("dpmpp-2m", zeroSnr.formatted(""));
    GaussianData data = new GaussianData(MU, S, ((DdimSampler) ddim).schedule());
    assertThat(data.schedule().alphaCumprod(999)).isZero();
    for (Sampler sampler : new Sampler[] {ddim, dpm}) {
      OutputLaw coarse = OutputLaw.ofDeterministic(sampler, data.denoiser(PredictionType.V_PREDICTION), 64, 10, 1);
      OutputLaw fine = OutputLaw.ofDeterministic(sampler, data.denoiser(PredictionType.V_PREDICTION), 64, 100, 1);
      // ᾱ_999 = 0: the first step starts from pure noise, so no prior mismatch in the mean
      assertThat(fine.mean()).isCloseTo(MU, within(1e-4));
      assertThat(fine.error(MU, S)).isLessThan(coarse.error(MU, S)).isLessThan(0.015);
    }
  }

  @Test
  void clipSampleBoundsTheFinalSample() {
    GaussianData wide = new GaussianData(0.5, 0.6, LINEAR);
    for (String name : new String[] {"ddpm", "ddim"}) {
      float[] x = Recipes.sampler(name, "{\"clip_sample_range\": 0.8}").sample(wide.denoiser(PredictionType.EPSILON),
          new long[] {500, 2}, 20, new SplittableRandom(2)).toFloatArray();
      double max = 0;
      for (float v : x) {
        max = Math.max(max, Math.abs(v));
      }
      assertThat(max).as(name).isLessThanOrEqualTo(0.8 + 1e-6).isGreaterThan(0.79);
    }
  }

  @Test
  void dynamicThresholdingBoundsTheFinalSampleByOne() {
    GaussianData wide = new GaussianData(0.5, 0.8, LINEAR);
    for (String name : new String[] {"ddpm", "ddim"}) {
      float[] x = Recipes.sampler(name, "{\"thresholding\": true, \"sample_max_value\": 3.0}")
          .sample(wide.denoiser(PredictionType.EPSILON), new long[] {4, 256}, 20, new SplittableRandom(2))
          .toFloatArray();
      double max = 0;
      for (float v : x) {
        max = Math.max(max, Math.abs(v));
      }
      // each row is clamped to its 99.5% quantile s > 1 and divided by it
      assertThat(max).as(name).isLessThanOrEqualTo(1 + 1e-6).isGreaterThan(0.99);
    }
  }
}
