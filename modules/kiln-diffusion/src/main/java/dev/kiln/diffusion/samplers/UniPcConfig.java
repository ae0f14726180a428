package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Configs;
import dev.kiln.spi.process.ScheduleConfig;
import java.util.List;

/**
 * Settings of the {@code "unipc"} sampler: the fields of diffusers' {@code UniPCMultistepScheduler}
 * config with its defaults, so a diffusers {@code scheduler_config.json} loads unchanged. Null means
 * default.
 *
 * @param schedule the training noise schedule, flat among these fields: num_train_timesteps,
 *     beta_start, beta_end, beta_schedule, trained_betas, prediction_type and
 *     rescale_betas_zero_snr, with DDPM's defaults (see {@link ScheduleConfig})
 * @param solverOrder 1 or 2 (2; 3 is not supported)
 * @param thresholding dynamic thresholding of x̂₀ (false)
 * @param dynamicThresholdingRatio quantile for thresholding (0.995)
 * @param sampleMaxValue largest threshold (1)
 * @param predictX0 solve for x̂₀ (UniPC's data-prediction form); only true (true)
 * @param solverType B(h): bh1 (h) or bh2 (e^h − 1) (bh2)
 * @param lowerOrderFinal lower the order over the last steps (true)
 * @param disableCorrector step indices whose corrector is skipped ([])
 * @param solverP another scheduler as predictor; not supported (null)
 * @param useKarrasSigmas EDM's ρ = 7 spacing of σ between sigma_min and sigma_max (false)
 * @param useExponentialSigmas not supported (false)
 * @param useBetaSigmas not supported (false)
 * @param useFlowSigmas not supported (false)
 * @param flowShift only used with flow sigmas (1)
 * @param timestepSpacing linspace, leading or trailing (linspace)
 * @param stepsOffset added to leading timesteps (0)
 * @param finalSigmasType the σ after the last step: zero (the last step returns x̂₀) or sigma_min (zero)
 * @param useDynamicShifting not supported (false)
 * @param timeShiftType only exponential (exponential)
 * @param sigmaMin lowest σ of the Karras schedule (null: the training schedule's)
 * @param sigmaMax highest σ of the Karras schedule (null: the training schedule's)
 * @param shiftTerminal only used with flow sigmas (null)
 */
public record UniPcConfig(@Configs.Inline ScheduleConfig schedule, Integer solverOrder, Boolean thresholding,
    Double dynamicThresholdingRatio, Double sampleMaxValue, Boolean predictX0, String solverType,
    Boolean lowerOrderFinal, List<Integer> disableCorrector, Object solverP, Boolean useKarrasSigmas,
    Boolean useExponentialSigmas, Boolean useBetaSigmas, Boolean useFlowSigmas, Double flowShift,
    TimestepSpacing timestepSpacing, Integer stepsOffset, String finalSigmasType, Boolean useDynamicShifting,
    String timeShiftType, Double sigmaMin, Double sigmaMax, Double shiftTerminal) {

  public UniPcConfig {
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    solverOrder = solverOrder == null ? 2 : solverOrder;
    thresholding = thresholding != null && thresholding;
    dynamicThresholdingRatio = dynamicThresholdingRatio == null ? 0.995 : dynamicThresholdingRatio;
    sampleMaxValue = sampleMaxValue == null ? 1.0 : sampleMaxValue;
    predictX0 = predictX0 == null || predictX0;
    solverType = solverType == null ? "bh2" : solverType;
    lowerOrderFinal = lowerOrderFinal == null || lowerOrderFinal;
    if (disableCorrector != null && disableCorrector.contains(null)) {
      throw new IllegalArgumentException("disable_corrector must hold step indices, got " + disableCorrector);
    }
    disableCorrector = disableCorrector == null ? List.of() : List.copyOf(disableCorrector);
    useKarrasSigmas = useKarrasSigmas != null && useKarrasSigmas;
    useExponentialSigmas = useExponentialSigmas != null && useExponentialSigmas;
    useBetaSigmas = useBetaSigmas != null && useBetaSigmas;
    useFlowSigmas = useFlowSigmas != null && useFlowSigmas;
    flowShift = flowShift == null ? 1.0 : flowShift;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LINSPACE : timestepSpacing;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    finalSigmasType = finalSigmasType == null ? "zero" : finalSigmasType;
    useDynamicShifting = useDynamicShifting != null && useDynamicShifting;
    timeShiftType = timeShiftType == null ? "exponential" : timeShiftType;
    ConfigFields.checkStepsOffset(stepsOffset, schedule);
    if (solverOrder != 1 && solverOrder != 2) {
      throw new IllegalArgumentException("solver_order must be 1 or 2 (3 is not supported), got " + solverOrder);
    }
    ConfigFields.openUnit("dynamic_thresholding_ratio", dynamicThresholdingRatio);
    ConfigFields.positive("sample_max_value", sampleMaxValue);
    ConfigFields.onlyDefault("unipc", "predict_x0", predictX0, true);
    ConfigFields.oneOf("solver_type", solverType, "bh1", "bh2");
    ConfigFields.onlyDefault("unipc", "solver_p", solverP, null);
    ConfigFields.onlyDefault("unipc", "use_exponential_sigmas", useExponentialSigmas, false);
    ConfigFields.onlyDefault("unipc", "use_beta_sigmas", useBetaSigmas, false);
    ConfigFields.onlyDefault("unipc", "use_flow_sigmas", useFlowSigmas, false);
    ConfigFields.onlyDefault("unipc", "use_dynamic_shifting", useDynamicShifting, false);
    ConfigFields.onlyDefault("unipc", "time_shift_type", timeShiftType, "exponential");
    ConfigFields.onlyDefault("unipc", "shift_terminal", shiftTerminal, null);
    ConfigFields.oneOf("final_sigmas_type", finalSigmasType, "zero", "sigma_min");
    if (sigmaMin != null) {
      ConfigFields.positive("sigma_min", sigmaMin);
    }
    if (sigmaMax != null) {
      ConfigFields.positive("sigma_max", sigmaMax);
    }
  }

  /** diffusers' defaults. */
  public static UniPcConfig defaults() {
    return new UniPcConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
