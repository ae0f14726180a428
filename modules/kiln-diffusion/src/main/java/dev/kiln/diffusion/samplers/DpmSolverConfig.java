package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Configs;
import dev.kiln.spi.process.ScheduleConfig;

/**
 * Settings of the {@code "dpmpp-2m"} and {@code "dpmpp-2m-sde"} samplers: the fields of diffusers'
 * {@code DPMSolverMultistepScheduler} config with its defaults, so a diffusers
 * {@code scheduler_config.json} loads unchanged. Null means default; {@code algorithm_type} stays null
 * when unset, meaning the algorithm of the sampler it is given to.
 *
 * @param schedule the training noise schedule, flat among these fields: num_train_timesteps,
 *     beta_start, beta_end, beta_schedule, trained_betas, prediction_type and
 *     rescale_betas_zero_snr, with DDPM's defaults (see {@link ScheduleConfig})
 * @param solverOrder 1 or 2 (2; 3 is not supported)
 * @param thresholding dynamic thresholding of x̂₀ (false)
 * @param dynamicThresholdingRatio quantile for thresholding (0.995)
 * @param sampleMaxValue largest threshold (1)
 * @param algorithmType dpmsolver++ ({@code dpmpp-2m}) or sde-dpmsolver++ ({@code dpmpp-2m-sde})
 * @param solverType second-order rule: midpoint or heun (midpoint; bh1/bh2/logrho read as midpoint,
 *     as diffusers does)
 * @param lowerOrderFinal first-order last step when there are fewer than 15 steps (true)
 * @param eulerAtFinal first-order last step always (false)
 * @param useKarrasSigmas EDM's ρ = 7 spacing of σ over the training range (false)
 * @param useExponentialSigmas not supported (false)
 * @param useBetaSigmas not supported (false)
 * @param useLuLambdas not supported (false)
 * @param useFlowSigmas not supported (false)
 * @param flowShift only used with flow sigmas (1)
 * @param finalSigmasType the σ after the last step: zero (the last step returns x̂₀) or sigma_min (zero)
 * @param lambdaMinClipped timesteps whose log-SNR λ is below this are not used (−∞)
 * @param varianceType learned variances are not supported (null)
 * @param timestepSpacing linspace, leading or trailing (linspace)
 * @param stepsOffset added to leading timesteps (0)
 * @param useDynamicShifting not supported (false)
 * @param timeShiftType only exponential (exponential)
 */
public record DpmSolverConfig(@Configs.Inline ScheduleConfig schedule, Integer solverOrder,
    Boolean thresholding, Double dynamicThresholdingRatio, Double sampleMaxValue, String algorithmType,
    String solverType, Boolean lowerOrderFinal, Boolean eulerAtFinal, Boolean useKarrasSigmas,
    Boolean useExponentialSigmas, Boolean useBetaSigmas, Boolean useLuLambdas, Boolean useFlowSigmas,
    Double flowShift, String finalSigmasType, Double lambdaMinClipped, String varianceType,
    TimestepSpacing timestepSpacing, Integer stepsOffset, Boolean useDynamicShifting, String timeShiftType) {

  public DpmSolverConfig {
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    solverOrder = solverOrder == null ? 2 : solverOrder;
    thresholding = thresholding != null && thresholding;
    dynamicThresholdingRatio = dynamicThresholdingRatio == null ? 0.995 : dynamicThresholdingRatio;
    sampleMaxValue = sampleMaxValue == null ? 1.0 : sampleMaxValue;
    solverType = solverType == null ? "midpoint" : solverType;
    lowerOrderFinal = lowerOrderFinal == null || lowerOrderFinal;
    eulerAtFinal = eulerAtFinal != null && eulerAtFinal;
    useKarrasSigmas = useKarrasSigmas != null && useKarrasSigmas;
    useExponentialSigmas = useExponentialSigmas != null && useExponentialSigmas;
    useBetaSigmas = useBetaSigmas != null && useBetaSigmas;
    useLuLambdas = useLuLambdas != null && useLuLambdas;
    useFlowSigmas = useFlowSigmas != null && useFlowSigmas;
    flowShift = flowShift == null ? 1.0 : flowShift;
    finalSigmasType = finalSigmasType == null ? "zero" : finalSigmasType;
    lambdaMinClipped = lambdaMinClipped == null ? Double.NEGATIVE_INFINITY : lambdaMinClipped;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LINSPACE : timestepSpacing;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    useDynamicShifting = useDynamicShifting != null && useDynamicShifting;
    timeShiftType = timeShiftType == null ? "exponential" : timeShiftType;
    ConfigFields.checkStepsOffset(stepsOffset, schedule);
    if (solverOrder != 1 && solverOrder != 2) {
      throw new IllegalArgumentException("solver_order must be 1 or 2 (3 is not supported), got " + solverOrder);
    }
    ConfigFields.openUnit("dynamic_thresholding_ratio", dynamicThresholdingRatio);
    ConfigFields.positive("sample_max_value", sampleMaxValue);
    if (algorithmType != null) {
      ConfigFields.oneOf("algorithm_type", algorithmType, "dpmsolver++", "sde-dpmsolver++");
    }
    ConfigFields.oneOf("solver_type", solverType, "midpoint", "heun", "bh1", "bh2", "logrho");
    ConfigFields.onlyDefault("DPM-Solver++", "use_exponential_sigmas", useExponentialSigmas, false);
    ConfigFields.onlyDefault("DPM-Solver++", "use_beta_sigmas", useBetaSigmas, false);
    ConfigFields.onlyDefault("DPM-Solver++", "use_lu_lambdas", useLuLambdas, false);
    ConfigFields.onlyDefault("DPM-Solver++", "use_flow_sigmas", useFlowSigmas, false);
    ConfigFields.onlyDefault("DPM-Solver++", "variance_type", varianceType, null);
    ConfigFields.onlyDefault("DPM-Solver++", "use_dynamic_shifting", useDynamicShifting, false);
    ConfigFields.onlyDefault("DPM-Solver++", "time_shift_type", timeShiftType, "exponential");
    ConfigFields.oneOf("final_sigmas_type", finalSigmasType, "zero", "sigma_min");
    if (Double.isNaN(lambdaMinClipped)) {
      throw new IllegalArgumentException("lambda_min_clipped must be a number, got " + lambdaMinClipped);
    }
  }

  /** diffusers' defaults. */
  public static DpmSolverConfig defaults() {
    return new DpmSolverConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Heun's second-order rule rather than the midpoint one; UniPC's solver types read as midpoint. */
  boolean heun() {
    return solverType.equals("heun");
  }
}
