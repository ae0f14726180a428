package dev.kiln.diffusion.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole sampling runs against reference values: a float64 numpy transcription of diffusers' (58eb52c)
 * {@code set_timesteps} and {@code step} for these configs, driven by the same toy model and the same
 * noise. They pin diffusers' details that convergence tests cannot see: DDIM's step size on linspace
 * timesteps, leading spacing's initial noise, Karras timesteps, DPM-Solver's and UniPC's order
 * switching, {@code lambda_min_clipped}, thresholding. (UniPC with bh1 ends at σ_min here: diffusers'
 * bh1 step to σ = 0 computes ∞·0 = NaN, where Kiln returns x̂₀.)
 */
class DiffusersReferenceTest {

  /** A nonlinear, timestep-dependent stand-in for a network. */
  private static final Denoiser TOY = (state, t) -> {
    Tensor x = state.x();
    float[] out = new float[x.size()];
    for (int i = 0; i < out.length; i++) {
      double v = x.getFloat(i);
      out[i] = (float) (0.3 * v + 0.1 * Math.sin(3 * v) + t / 2000.0);
    }
    return Tensor.of(out, x.shape());
  };

  /** Noise the reference could reproduce: a fixed sequence in place of normal draws. */
  private static final class FixedNoise implements RandomGenerator {
    private int k;

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("only nextGaussian");
    }

    @Override
    public double nextGaussian() {
      double v = 1.3 * Math.sin(1.7 * k) + 0.2 * Math.cos(0.3 * k);
      k++;
      return v;
    }
  }

  private record Case(String sampler, String config, int steps, double... expected) {
    @Override
    public String toString() {
      return sampler + " " + config.replaceAll("\\s+", " ") + ", " + steps + " steps";
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("ddpm", "{\"clip_sample\": false}", 10,
            1.819910712, 8.029996556, -22.59744033, -21.05111697),
        new Case("ddpm", "{\"steps_offset\": 1, \"clip_sample\": true}", 7,
            0.9986047344, -0.5941457838, -0.9914277132, 0.4683490409),
        new Case("ddpm", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type":
            "v_prediction", "timestep_spacing": "trailing", "clip_sample": false}""", 12,
            -0.7715511919, -0.4656621303, 0.5490144432, -0.04690088485),
        new Case("ddim", "{\"clip_sample\": false, \"timestep_spacing\": \"trailing\"}", 10,
            -17.81299469, 34.04250564, -29.26061337, -66.28478902),
        new Case("ddim", """
            {"clip_sample": false, "timestep_spacing": "linspace", "eta": 0.5, "prediction_type":
            "v_prediction", "set_alpha_to_one": false}""", 7,
            0.8924574345, 0.02104576236, -1.213098642, -0.002377594098),
        new Case("ddim", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1,
            "thresholding": true, "dynamic_thresholding_ratio": 0.6, "sample_max_value": 1.5, "prediction_type":
            "sample"}""", 9,
            0.1701256782, 0.2318327874, 0.07930856198, -0.1269612312),
        new Case("euler", "{}", 10,
            -18.69923965, 34.9170324, -31.69341543, -70.53144471),
        new Case("euler", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "use_karras_sigmas":
            true}""", 8,
            -2.245772106, 6.003892954, -4.223929252, -10.25666941),
        new Case("euler", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "timestep_spacing":
            "leading", "steps_offset": 1, "prediction_type": "v_prediction"}""", 6,
            -0.08986332126, 0.5519509095, -0.2105387852, -0.7342296058),
        new Case("euler", """
            {"beta_schedule": "squaredcos_cap_v2", "timestep_spacing": "trailing", "final_sigmas_type":
            "sigma_min"}""", 11,
            -4132.307473, 6290.171387, -5647.778593, -12565.32116),
        new Case("euler-ancestral", "{}", 10,
            -0.5873683337, 18.10700175, -41.36278327, -47.16158339),
        new Case("euler-ancestral", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "timestep_spacing":
            "leading", "steps_offset": 1, "prediction_type": "v_prediction"}""", 9,
            0.4973843356, -1.050946774, -0.6247986271, 0.7543904706),
        new Case("dpmpp-2m", "{}", 10,
            -11.88911345, 26.80044938, -21.3094328, -49.63475586),
        new Case("dpmpp-2m", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "use_karras_sigmas":
            true}""", 20,
            -1.466943435, 5.363620839, -3.253886689, -8.398677432),
        new Case("dpmpp-2m", """
            {"solver_type": "heun", "prediction_type": "sample", "final_sigmas_type": "sigma_min"}""", 16,
            0.03021376454, 0.2041351629, 0.002594795319, -0.1278170439),
        new Case("dpmpp-2m", """
            {"beta_schedule": "squaredcos_cap_v2", "lambda_min_clipped": -5.1, "timestep_spacing": "leading",
            "steps_offset": 1, "prediction_type": "v_prediction", "thresholding": true,
            "dynamic_thresholding_ratio": 0.7, "sample_max_value": 1.2}""", 12,
            -0.102032383, 0.6959198559, -0.2669712718, -0.9497468769),
        new Case("dpmpp-2m", """
            {"beta_schedule": "squaredcos_cap_v2", "use_karras_sigmas": true, "timestep_spacing": "trailing"}""", 9,
            198.4725017, -333.1535012, 331.9863878, 720.8002408),
        new Case("dpmpp-2m-sde", "{}", 10,
            4.802271986, 1.740016127, -26.21103976, -17.70740556),
        new Case("dpmpp-2m-sde", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "use_karras_sigmas":
            true, "solver_type": "heun"}""", 18,
            0.6243145267, -0.6608827641, -5.639040086, -3.085090338),
        new Case("unipc", "{}", 10,
            -11.55848722, 26.38724807, -21.01300545, -48.99930335),
        new Case("unipc", "{}", 25,
            -10.31052082, 25.6143002, -19.99184262, -47.08144264),
        new Case("unipc", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "use_karras_sigmas":
            true, "solver_type": "bh1", "final_sigmas_type": "sigma_min"}""", 12,
            -1.367235372, 5.309174137, -3.119795543, -8.275221275),
        new Case("unipc", """
            {"prediction_type": "v_prediction", "timestep_spacing": "trailing", "disable_corrector": [0, 3],
            "final_sigmas_type": "sigma_min"}""", 9,
            -0.04446629599, 0.7161592663, -0.1856921065, -0.7845230922),
        new Case("unipc", """
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "timestep_spacing":
            "leading", "steps_offset": 1, "lower_order_final": false, "final_sigmas_type": "sigma_min",
            "thresholding": true, "dynamic_thresholding_ratio": 0.6, "sample_max_value": 1.5,
            "prediction_type": "sample"}""", 11,
            0.1310012225, 0.3080602941, 0.03092050763, -0.2252297501),
        new Case("unipc", """
            {"solver_order": 1, "use_karras_sigmas": true, "sigma_min": 0.05, "sigma_max": 50.0,
            "final_sigmas_type": "sigma_min"}""", 8,
            -4.660280728, 15.69489652, -10.07979313, -24.65158343));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void samplesMatchTheReference(Case c) {
    Tensor x = Recipes.sampler(c.sampler(), c.config()).sample(TOY, new long[] {1, 4}, c.steps(), new FixedNoise());
    for (int i = 0; i < 4; i++) {
      assertThat((double) x.getFloat(i)).as("[%d]", i).isCloseTo(c.expected()[i], withinPercentage(1e-4));
    }
  }
}
