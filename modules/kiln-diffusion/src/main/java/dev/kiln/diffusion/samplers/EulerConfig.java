package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Configs;
import dev.kiln.spi.process.ScheduleConfig;

/**
 * Settings of the {@code "euler"} sampler: the fields of diffusers' {@code EulerDiscreteScheduler} config
 * with its defaults, so a diffusers {@code scheduler_config.json} loads unchanged, plus Kiln's churn
 * settings (k-diffusion's {@code s_churn}, {@code s_tmin}, {@code s_tmax}, {@code s_noise}, which
 * diffusers passes to {@code step}). Null means default.
 *
 * @param schedule the training noise schedule, flat among these fields: num_train_timesteps,
 *     beta_start, beta_end, beta_schedule, trained_betas, prediction_type and
 *     rescale_betas_zero_snr, with DDPM's defaults (see {@link ScheduleConfig})
 * @param interpolationType how σ is read between timesteps; only linear (linear)
 * @param useKarrasSigmas EDM's ρ = 7 spacing of σ between sigma_min and sigma_max (false)
 * @param useExponentialSigmas not supported (false)
 * @param useBetaSigmas not supported (false)
 * @param sigmaMin lowest σ of the Karras schedule (null: σ at the last timestep)
 * @param sigmaMax highest σ of the Karras schedule (null: σ at the first timestep)
 * @param timestepSpacing linspace, leading or trailing (linspace)
 * @param timestepType only discrete (discrete)
 * @param stepsOffset added to leading timesteps (0)
 * @param finalSigmasType the σ after the last step: zero or sigma_min, σ at t = 0 (zero)
 * @param sChurn total churn; each step raises σ by γ = min(s_churn/steps, √2−1) (0: plain Euler)
 * @param sTmin churn only where σ ≥ s_tmin (0)
 * @param sTmax churn only where σ ≤ s_tmax (∞)
 * @param sNoise scale of the churn noise (1)
 */
public record EulerConfig(@Configs.Inline ScheduleConfig schedule, String interpolationType,
    Boolean useKarrasSigmas, Boolean useExponentialSigmas, Boolean useBetaSigmas, Double sigmaMin,
    Double sigmaMax, TimestepSpacing timestepSpacing, String timestepType, Integer stepsOffset,
    String finalSigmasType, Double sChurn, Double sTmin, Double sTmax, Double sNoise) {

  public EulerConfig {
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    interpolationType = interpolationType == null ? "linear" : interpolationType;
    useKarrasSigmas = useKarrasSigmas != null && useKarrasSigmas;
    useExponentialSigmas = useExponentialSigmas != null && useExponentialSigmas;
    useBetaSigmas = useBetaSigmas != null && useBetaSigmas;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LINSPACE : timestepSpacing;
    timestepType = timestepType == null ? "discrete" : timestepType;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    finalSigmasType = finalSigmasType == null ? "zero" : finalSigmasType;
    sChurn = sChurn == null ? 0.0 : sChurn;
    sTmin = sTmin == null ? 0.0 : sTmin;
    sTmax = sTmax == null ? Double.POSITIVE_INFINITY : sTmax;
    sNoise = sNoise == null ? 1.0 : sNoise;
    ConfigFields.checkStepsOffset(stepsOffset, schedule);
    ConfigFields.onlyDefault("euler", "interpolation_type", interpolationType, "linear");
    ConfigFields.onlyDefault("euler", "use_exponential_sigmas", useExponentialSigmas, false);
    ConfigFields.onlyDefault("euler", "use_beta_sigmas", useBetaSigmas, false);
    ConfigFields.onlyDefault("euler", "timestep_type", timestepType, "discrete");
    ConfigFields.oneOf("final_sigmas_type", finalSigmasType, "zero", "sigma_min");
    if (sigmaMin != null) {
      ConfigFields.positive("sigma_min", sigmaMin);
    }
    if (sigmaMax != null) {
      ConfigFields.positive("sigma_max", sigmaMax);
    }
    if (sigmaMin != null && sigmaMax != null && !(sigmaMin < sigmaMax)) {
      throw new IllegalArgumentException("sigma_min must be below sigma_max, got " + sigmaMin + " and " + sigmaMax);
    }
    ConfigFields.nonNegative("s_churn", sChurn);
    ConfigFields.nonNegative("s_noise", sNoise);
    if (!(sTmin <= sTmax)) {
      throw new IllegalArgumentException("s_tmin must be <= s_tmax, got " + sTmin + " and " + sTmax);
    }
  }

  /** diffusers' defaults, no churn. */
  public static EulerConfig defaults() {
    return new EulerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
