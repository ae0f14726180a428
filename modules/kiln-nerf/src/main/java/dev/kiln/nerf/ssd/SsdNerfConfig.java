package dev.kiln.nerf.ssd;

import dev.kiln.diffusion.arch.UNet;
import dev.kiln.nerf.field.TriplaneField;
import java.util.List;

/**
 * Settings of an SSDNeRF model, its training and its test-time reconstruction. Defaults are the
 * CPU-scale "SSD-tiny" protocol: 3×4×16×16 triplanes, a 12→32 decoder, a base-32 two-level UNet
 * prior, the paper's loss constants (ω = 0.5, c_diff = 4, code regulariser 3·10⁻³) and its
 * test-time schedule shortened.
 *
 * @param model sizes and loss constants
 * @param training the training schedule
 * @param reconstruction test-time guided sampling and finetuning
 */
public record SsdNerfConfig(Model model, Training training, Reconstruction reconstruction) {

  public SsdNerfConfig {
    model = model == null ? Model.defaults() : model;
    training = training == null ? Training.defaults() : training;
    reconstruction = reconstruction == null ? Reconstruction.defaults() : reconstruction;
  }

  /** The defaults. */
  public static SsdNerfConfig defaults() {
    return new SsdNerfConfig(null, null, null);
  }

  /**
   * @param field the triplane field (code and decoder sizes)
   * @param samplesPerRay stratified samples per ray inside [−1, 1]³
   * @param codeScale triplanes are {@code code_scale·tanh(code)}, so values lie in ±code_scale
   * @param priorBase UNet channels at full resolution
   * @param priorMultipliers UNet channel multiplier per level
   * @param priorGroups GroupNorm groups
   * @param timesteps diffusion steps T (linear β)
   * @param betaStart β₁
   * @param betaEnd β_T
   * @param omega ω of the SNR weighting w(t) = (α/σ)^{2ω}
   * @param diffusionWeight c_diff: λ_diff = c_diff / EMA(mean x²)
   * @param pixelWeight c in λ_rend = c·(1 − e^{−0.1·N_v}), multiplying the per-pixel squared error summed
   *     over channels
   * @param codeRegularizer weight of mean(x²)
   * @param normMomentum momentum of the EMA of mean(x²) that normalises the diffusion loss
   */
  public record Model(TriplaneField.Config field, Integer samplesPerRay, Double codeScale, Integer priorBase,
      List<Integer> priorMultipliers, Integer priorGroups, Integer timesteps, Double betaStart, Double betaEnd,
      Double omega, Double diffusionWeight, Double pixelWeight, Double codeRegularizer, Double normMomentum) {
    public Model {
      field = field == null ? TriplaneField.Config.defaults() : field;
      samplesPerRay = samplesPerRay == null ? 24 : samplesPerRay;
      codeScale = codeScale == null ? 2.0 : codeScale;
      priorBase = priorBase == null ? 32 : priorBase;
      priorMultipliers = priorMultipliers == null ? List.of(1, 2) : List.copyOf(priorMultipliers);
      priorGroups = priorGroups == null ? 8 : priorGroups;
      timesteps = timesteps == null ? 1000 : timesteps;
      betaStart = betaStart == null ? 1e-4 : betaStart;
      betaEnd = betaEnd == null ? 2e-2 : betaEnd;
      omega = omega == null ? 0.5 : omega;
      diffusionWeight = diffusionWeight == null ? 4.0 : diffusionWeight;
      pixelWeight = pixelWeight == null ? 20.0 : pixelWeight;
      codeRegularizer = codeRegularizer == null ? 3e-3 : codeRegularizer;
      normMomentum = normMomentum == null ? 1e-3 : normMomentum;
      positive("model", "samples_per_ray", samplesPerRay);
      positive("model", "code_scale", codeScale);
      positive("model", "timesteps", timesteps);
      nonNegative("model", "diffusion_weight", diffusionWeight);
      positive("model", "pixel_weight", pixelWeight);
      nonNegative("model", "code_regularizer", codeRegularizer);
      if (!(normMomentum > 0 && normMomentum <= 1)) {
        throw new IllegalArgumentException("model: norm_momentum must be in (0, 1], got " + normMomentum);
      }
    }

    /** The defaults. */
    public static Model defaults() {
      return new Model(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The prior's UNet on codes [3C, S, S]. */
    public UNet.Config prior() {
      return new UNet.Config(field.codeChannels(), field.resolution(), priorBase, priorMultipliers, priorGroups, 0);
    }

    /** These settings with another pixel weight c_rend. */
    public Model withPixelWeight(double weight) {
      return new Model(field, samplesPerRay, codeScale, priorBase, priorMultipliers, priorGroups, timesteps, betaStart,
          betaEnd, omega, diffusionWeight, weight, codeRegularizer, normMomentum);
    }

    /** λ_rend for a scene seen in {@code views} views: c·(1 − e^{−0.1·N_v}). */
    public double renderWeight(int views) {
      return pixelWeight * (1 - Math.exp(-0.1 * views));
    }
  }

  /**
   * @param iterations outer iterations (one prior step each)
   * @param scenesPerBatch scenes per iteration
   * @param raysPerScene random training rays per scene per rendering step
   * @param innerStepsWarmup rendering steps per iteration during warm-up (K_in)
   * @param innerSteps rendering steps per iteration afterwards
   * @param warmupIterations how long warm-up lasts
   * @param codeLr Adam learning rate of the scene codes
   * @param decoderLr Adam learning rate of the decoder
   * @param priorLr Adam learning rate of the prior
   * @param priorEma EMA decay of the prior weights used at test time
   * @param tvWeight weight of the total-variation regulariser of the two-stage baseline's first stage, which
   *     takes it in place of the code regulariser mean(x²)
   * @param twoStageDiffusionWeight c_diff of the two-stage baseline's second stage
   * @param priorSteps prior (diffusion) steps per outer iteration, each on fresh t and ε; the code gradient
   *     cached for the inner steps is their mean (the paper takes 1)
   * @param meanCodeMomentum momentum of the EMA of the mean triplane that the two-stage baseline's first stage
   *     starts each scene's code from on its first visit (the official {@code init_from_mean}, momentum 10⁻³)
   */
  public record Training(Integer iterations, Integer scenesPerBatch, Integer raysPerScene, Integer innerStepsWarmup,
      Integer innerSteps, Integer warmupIterations, Double codeLr, Double decoderLr, Double priorLr, Double priorEma,
      Double tvWeight, Double twoStageDiffusionWeight, Integer priorSteps, Double meanCodeMomentum) {
    public Training {
      iterations = iterations == null ? 1500 : iterations;
      scenesPerBatch = scenesPerBatch == null ? 8 : scenesPerBatch;
      raysPerScene = raysPerScene == null ? 512 : raysPerScene;
      innerStepsWarmup = innerStepsWarmup == null ? 8 : innerStepsWarmup;
      innerSteps = innerSteps == null ? 2 : innerSteps;
      warmupIterations = warmupIterations == null ? 300 : warmupIterations;
      codeLr = codeLr == null ? 1e-2 : codeLr;
      decoderLr = decoderLr == null ? 1e-3 : decoderLr;
      priorLr = priorLr == null ? 3e-4 : priorLr;
      priorEma = priorEma == null ? 0.999 : priorEma;
      tvWeight = tvWeight == null ? 1.0 : tvWeight;
      twoStageDiffusionWeight = twoStageDiffusionWeight == null ? 1.0 : twoStageDiffusionWeight;
      priorSteps = priorSteps == null ? 1 : priorSteps;
      meanCodeMomentum = meanCodeMomentum == null ? 1e-3 : meanCodeMomentum;
      positive("training", "iterations", iterations);
      positive("training", "prior_steps", priorSteps);
      positive("training", "scenes_per_batch", scenesPerBatch);
      positive("training", "rays_per_scene", raysPerScene);
      positive("training", "inner_steps_warmup", innerStepsWarmup);
      positive("training", "inner_steps", innerSteps);
      nonNegative("training", "warmup_iterations", warmupIterations);
      positive("training", "code_lr", codeLr);
      positive("training", "decoder_lr", decoderLr);
      positive("training", "prior_lr", priorLr);
      if (!(priorEma > 0 && priorEma < 1)) {
        throw new IllegalArgumentException("training: prior_ema must be in (0, 1), got " + priorEma);
      }
      nonNegative("training", "tv_weight", tvWeight);
      nonNegative("training", "two_stage_diffusion_weight", twoStageDiffusionWeight);
      if (!(meanCodeMomentum > 0 && meanCodeMomentum <= 1)) {
        throw new IllegalArgumentException("training: mean_code_momentum must be in (0, 1], got " + meanCodeMomentum);
      }
    }

    /** The defaults. */
    public static Training defaults() {
      return new Training(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** K_in at iteration {@code it} (0-based). */
    public int innerStepsAt(int it) {
      return it < warmupIterations ? innerStepsWarmup : innerSteps;
    }
  }

  /**
   * @param ddimSteps DDIM (η = 0) steps of guided and unconditional sampling
   * @param guidanceScale λ_gd of the rendering-loss guidance (gradient of the mean squared pixel error)
   * @param guideRays random observed rays per scene for each guidance gradient
   * @param finetuneOuter outer finetuning steps K_out (one prior gradient each)
   * @param finetuneInner rendering steps per outer step K_in (reusing the prior gradient)
   * @param finetuneLr Adam learning rate of the codes during finetuning
   * @param finetuneDecay per-step exponential decay of that learning rate
   * @param finetuneDiffusionWeight c′_diff of the prior term during finetuning
   * @param finetuneRays random observed rays per scene per finetuning step
   */
  public record Reconstruction(Integer ddimSteps, Double guidanceScale, Integer guideRays, Integer finetuneOuter,
      Integer finetuneInner, Double finetuneLr, Double finetuneDecay, Double finetuneDiffusionWeight,
      Integer finetuneRays) {
    public Reconstruction {
      ddimSteps = ddimSteps == null ? 50 : ddimSteps;
      guidanceScale = guidanceScale == null ? 3.2 * 1024 : guidanceScale;
      guideRays = guideRays == null ? 512 : guideRays;
      finetuneOuter = finetuneOuter == null ? 25 : finetuneOuter;
      finetuneInner = finetuneInner == null ? 4 : finetuneInner;
      finetuneLr = finetuneLr == null ? 5e-3 : finetuneLr;
      finetuneDecay = finetuneDecay == null ? 0.998 : finetuneDecay;
      finetuneDiffusionWeight = finetuneDiffusionWeight == null ? 1.0 : finetuneDiffusionWeight;
      finetuneRays = finetuneRays == null ? 512 : finetuneRays;
      positive("reconstruction", "ddim_steps", ddimSteps);
      nonNegative("reconstruction", "guidance_scale", guidanceScale);
      positive("reconstruction", "guide_rays", guideRays);
      nonNegative("reconstruction", "finetune_outer", finetuneOuter);
      positive("reconstruction", "finetune_inner", finetuneInner);
      positive("reconstruction", "finetune_lr", finetuneLr);
      if (!(finetuneDecay > 0 && finetuneDecay <= 1)) {
        throw new IllegalArgumentException("reconstruction: finetune_decay must be in (0, 1], got " + finetuneDecay);
      }
      nonNegative("reconstruction", "finetune_diffusion_weight", finetuneDiffusionWeight);
      positive("reconstruction", "finetune_rays", finetuneRays);
    }

    /** The defaults. */
    public static Reconstruction defaults() {
      return new Reconstruction(null, null, null, null, null, null, null, null, null);
    }

    /** These settings with guidance scale λ_gd. */
    public Reconstruction withGuidanceScale(double scale) {
      return new Reconstruction(ddimSteps, scale, guideRays, finetuneOuter, finetuneInner, finetuneLr, finetuneDecay,
          finetuneDiffusionWeight, finetuneRays);
    }

    /** These settings with no finetune: guided sampling alone. */
    public Reconstruction guidedOnly() {
      return new Reconstruction(ddimSteps, guidanceScale, guideRays, 0, finetuneInner, finetuneLr, finetuneDecay,
          finetuneDiffusionWeight, finetuneRays);
    }
  }

  private static void positive(String section, String field, double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException(section + ": " + field + " must be positive, got " + v);
    }
  }

  private static void nonNegative(String section, String field, double v) {
    if (!(v >= 0)) {
      throw new IllegalArgumentException(section + ": " + field + " must be non-negative, got " + v);
    }
  }
}
