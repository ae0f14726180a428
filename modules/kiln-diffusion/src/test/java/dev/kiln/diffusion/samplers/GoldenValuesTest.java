package dev.kiln.diffusion.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/**
 * Schedule tables as diffusers computes them (shared/papers/diffusion-samplers.md §4.2, plus numpy's
 * arithmetic where rounding depends on it).
 */
class GoldenValuesTest {

  private static final String SD = "\"beta_start\": 0.00085, \"beta_end\": 0.012, \"beta_schedule\": \"scaled_linear\"";

  private static DdimSampler ddim(String fields) {
    return (DdimSampler) Recipes.sampler("ddim", "{" + fields + "}");
  }

  private static EulerSampler euler(String fields) {
    return (EulerSampler) Recipes.sampler("euler", "{" + fields + "}");
  }

  private static DpmSolverSampler dpm(String fields) {
    return (DpmSolverSampler) Recipes.sampler("dpmpp-2m", "{" + fields + "}");
  }

  @Test
  void alphaBarAtTheLastTimestep() {
    assertThat(ddim("").schedule().alphaCumprod(999)).isCloseTo(4.036e-5, withinPercentage(0.01));
    assertThat(ddim(SD).schedule().alphaCumprod(999)).isCloseTo(4.660e-3, withinPercentage(0.01));
    assertThat(ddim("\"beta_schedule\": \"squaredcos_cap_v2\"").schedule().alphaCumprod(999))
        .isCloseTo(2.43e-9, withinPercentage(0.1));
  }

  @Test
  void leadingTrailingAndLinspaceSpacing() {
    assertThat(ddim("\"timestep_spacing\": \"leading\"").timesteps(10))
        .containsExactly(900, 800, 700, 600, 500, 400, 300, 200, 100, 0);
    assertThat(ddim("\"timestep_spacing\": \"leading\", \"steps_offset\": 1").timesteps(10))
        .containsExactly(901, 801, 701, 601, 501, 401, 301, 201, 101, 1);
    assertThat(ddim("\"timestep_spacing\": \"trailing\"").timesteps(10))
        .containsExactly(999, 899, 799, 699, 599, 499, 399, 299, 199, 99);
    assertThat(ddim("\"timestep_spacing\": \"linspace\"").timesteps(10))
        .containsExactly(999, 888, 777, 666, 555, 444, 333, 222, 111, 0);
  }

  @Test
  void trailingSpacingRoundsLikeNumpysArange() {
    // numpy's arange yields 937.4999…, which rounds down; 1000 − 3·(1000/48) is exactly 937.5
    double[] ts = ddim("\"timestep_spacing\": \"trailing\"").timesteps(48);
    assertThat(ts).hasSize(48);
    assertThat(ts[3]).isEqualTo(936);
    assertThat(ts[47]).isEqualTo(20);
    // numpy gives 62 values here, the last one timestep −1
    double[] sixtyOne = ddim("\"timestep_spacing\": \"trailing\"").timesteps(61);
    assertThat(sixtyOne).hasSize(61);
    assertThat(sixtyOne[60]).isEqualTo(15);
  }

  @Test
  void linspaceRoundsHalfToEven() {
    assertThat(ddim("\"timestep_spacing\": \"linspace\"").timesteps(3)).containsExactly(999, 500, 0);
  }

  @Test
  void eulerKeepsFractionalLinspaceTimesteps() {
    double[] ts = euler("").timesteps(20);
    assertThat(ts[0]).isEqualTo(999);
    assertThat(ts[1]).isCloseTo(999 - 999.0 / 19, within(1e-9));
    assertThat(ts[19]).isZero();
  }

  @Test
  void karrasSigmasForStableDiffusion() {
    double[] expected = {14.6146, 4.7965, 1.2741, 0.2479, 0.0292, 0};
    assertThat(euler(SD + ", \"use_karras_sigmas\": true").sigmas(5)).containsExactly(expected, within(1e-4));
    assertThat(dpm(SD + ", \"use_karras_sigmas\": true").sigmas(5)).containsExactly(expected, within(1e-4));
  }

  @Test
  void karrasSigmasMapBackToTimestepsByLogSigma() {
    assertThat(euler(SD + ", \"use_karras_sigmas\": true").timesteps(5))
        .containsExactly(new double[] {999, 785.9536, 427.4887, 58.8910, 0}, within(1e-3));
    // DPM-Solver rounds them to integers
    assertThat(dpm(SD + ", \"use_karras_sigmas\": true").timesteps(5)).containsExactly(999, 786, 427, 59, 0);
  }

  @Test
  void eulerSigmasAndInitialNoise() {
    EulerSampler linear = euler("");
    assertThat(linear.sigmas(10)[0]).isCloseTo(157.40728, within(1e-4));
    assertThat(linear.sigmas(10)[9]).isCloseTo(0.0100005, within(1e-7));
    assertThat(linear.sigmas(10)[10]).isZero();
    assertThat(linear.initNoiseSigma(10)).isEqualTo(linear.sigmas(10)[0]);
    // leading spacing: σ at t = 901, and √(σ²+1) for the initial noise
    EulerSampler leading = euler(SD + ", \"timestep_spacing\": \"leading\", \"steps_offset\": 1");
    assertThat(leading.timesteps(10)).containsExactly(901, 801, 701, 601, 501, 401, 301, 201, 101, 1);
    assertThat(leading.sigmas(10)[0]).isCloseTo(8.39068, within(1e-4));
    assertThat(leading.initNoiseSigma(10)).isCloseTo(8.45006, within(1e-4));
    assertThat(euler("\"final_sigmas_type\": \"sigma_min\"").sigmas(4)[4]).isCloseTo(0.0100005, within(1e-7));
  }

  @Test
  void dpmSolverSpacesNPlusOnePoints() {
    assertThat(dpm("").timesteps(10)).containsExactly(999, 899, 799, 699, 599, 500, 400, 300, 200, 100);
    assertThat(dpm("\"timestep_spacing\": \"leading\", \"steps_offset\": 1").timesteps(10))
        .containsExactly(901, 811, 721, 631, 541, 451, 361, 271, 181, 91);
    assertThat(dpm("\"timestep_spacing\": \"trailing\"").timesteps(10))
        .containsExactly(999, 899, 799, 699, 599, 499, 399, 299, 199, 99);
    assertThat(dpm("").sigmas(10)[10]).isZero();
  }

  @Test
  void lambdaMinClippedDropsTheLastTimesteps() {
    assertThat(dpm("\"beta_schedule\": \"squaredcos_cap_v2\", \"lambda_min_clipped\": -5.1").timesteps(10))
        .containsExactly(995, 896, 796, 696, 597, 498, 398, 298, 199, 100);
  }

  @Test
  void ddpmTimestepsAreDdimsAndTopOutAtT() {
    DdpmSampler ddpm = (DdpmSampler) Recipes.sampler("ddpm", "{}");
    assertThat(ddpm.timesteps(10)).containsExactly(ddim("").timesteps(10));
    assertThat(ddpm.timesteps(1000)).hasSize(1000).startsWith(999, 998).endsWith(0);
  }

  @Test
  void quantileInterpolatesLinearlyLikeTorch() {
    assertThat(SampleClipping.quantile(new double[] {4, 1, 3, 2}, 0.5)).isEqualTo(2.5);
    assertThat(SampleClipping.quantile(new double[] {0, 10}, 0.995)).isCloseTo(9.95, within(1e-12));
  }
}
