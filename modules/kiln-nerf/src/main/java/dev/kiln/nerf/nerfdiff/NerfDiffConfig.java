package dev.kiln.nerf.nerfdiff;

import java.util.List;

/**
 * Settings of a NerfDiff model, its joint training and its test-time distillation. The defaults are
 * the CPU-scale protocol of {@code docs/reproductions/nerfdiff.md}: 16×16 views, camera-aligned
 * triplanes of 3×8 channels at the image's resolution, a 24→32 decoder, base-16 two-level UNets for
 * the encoder and the conditional diffusion model, and NGD with 8 virtual views and 20 DDIM steps.
 *
 * @param model sizes
 * @param training the joint training schedule
 * @param distillation NeRF-guided distillation at test time
 */
public record NerfDiffConfig(Model model, Training training, Distillation distillation) {

  public NerfDiffConfig {
    model = model == null ? Model.defaults() : model;
    training = training == null ? Training.defaults() : training;
    distillation = distillation == null ? Distillation.defaults() : distillation;
  }

  /** The defaults. */
  public static NerfDiffConfig defaults() {
    return new NerfDiffConfig(null, null, null);
  }

  /** This config with other distillation settings. */
  public NerfDiffConfig withDistillation(Distillation d) {
    return new NerfDiffConfig(model, training, d);
  }

  /**
   * @param imageSize side of the input and rendered views (and of the triplane)
   * @param planeChannels feature channels C of each of the three planes
   * @param hidden width of the decoder's hidden layer
   * @param samplesPerRay stratified samples per ray inside [−1, 1]³
   * @param planeScale triplanes are {@code plane_scale·tanh(encoder output)}
   * @param encoderBase channels at full resolution of the image-to-triplane UNet
   * @param cdmBase channels at full resolution of the conditional diffusion UNet
   * @param multipliers channel multiplier per UNet level (both UNets)
   * @param groups GroupNorm groups
   * @param timesteps diffusion steps T (linear β)
   * @param betaStart β₁
   * @param betaEnd β_T
   */
  public record Model(Integer imageSize, Integer planeChannels, Integer hidden, Integer samplesPerRay,
      Double planeScale, Integer encoderBase, Integer cdmBase, List<Integer> multipliers, Integer groups,
      Integer timesteps, Double betaStart, Double betaEnd) {
    public Model {
      imageSize = imageSize == null ? 16 : imageSize;
      planeChannels = planeChannels == null ? 8 : planeChannels;
      hidden = hidden == null ? 32 : hidden;
      samplesPerRay = samplesPerRay == null ? 16 : samplesPerRay;
      planeScale = planeScale == null ? 2.0 : planeScale;
      encoderBase = encoderBase == null ? 16 : encoderBase;
      cdmBase = cdmBase == null ? 16 : cdmBase;
      multipliers = multipliers == null ? List.of(1, 2) : List.copyOf(multipliers);
      groups = groups == null ? 8 : groups;
      timesteps = timesteps == null ? 1000 : timesteps;
      betaStart = betaStart == null ? 1e-4 : betaStart;
      betaEnd = betaEnd == null ? 2e-2 : betaEnd;
      int levels = multipliers.size() - 1;
      if (imageSize < 8 || imageSize % (1 << levels) != 0) {
        throw new IllegalArgumentException("nerfdiff model: image_size must be at least 8 and divisible by 2^"
            + levels + ", got " + imageSize);
      }
      positive("plane_channels", planeChannels);
      positive("hidden", hidden);
      positive("samples_per_ray", samplesPerRay);
      positive("encoder_base", encoderBase);
      positive("cdm_base", cdmBase);
      positive("timesteps", timesteps);
      if (!(planeScale > 0)) {
        throw new IllegalArgumentException("nerfdiff model: plane_scale must be positive, got " + planeScale);
      }
      if (!(betaStart > 0 && betaStart < betaEnd && betaEnd < 1)) {
        throw new IllegalArgumentException("nerfdiff model: need 0 < beta_start < beta_end < 1, got " + betaStart
            + " and " + betaEnd);
      }
    }

    public static Model defaults() {
      return new Model(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Pixels per view. */
    public int pixels() {
      return imageSize * imageSize;
    }

    private static void positive(String field, int v) {
      if (v < 1) {
        throw new IllegalArgumentException("nerfdiff model: " + field + " must be positive, got " + v);
      }
    }
  }

  /**
   * @param steps joint training steps
   * @param pairsPerStep (input view, target view) pairs per step, each from a random training scene
   * @param nerfLr Adam learning rate of the encoder and decoder
   * @param cdmLr Adam learning rate of the conditional diffusion model
   */
  public record Training(Integer steps, Integer pairsPerStep, Double nerfLr, Double cdmLr) {
    public Training {
      steps = steps == null ? 1200 : steps;
      pairsPerStep = pairsPerStep == null ? 8 : pairsPerStep;
      nerfLr = nerfLr == null ? 2e-3 : nerfLr;
      cdmLr = cdmLr == null ? 1e-3 : cdmLr;
      if (steps < 1 || pairsPerStep < 1) {
        throw new IllegalArgumentException("nerfdiff training: steps and pairs_per_step must be positive, got "
            + steps + " and " + pairsPerStep);
      }
      if (!(nerfLr > 0) || !(cdmLr > 0)) {
        throw new IllegalArgumentException("nerfdiff training: nerf_lr and cdm_lr must be positive, got " + nerfLr
            + " and " + cdmLr);
      }
    }

    public static Training defaults() {
      return new Training(null, null, null, null);
    }
  }

  /**
   * NeRF-guided distillation (paper Algorithm 1): {@code ddim_steps} deterministic DDIM steps from
   * {@code t_max·T} to 0 over every virtual view at once, each followed by {@code finetune_steps}
   * Adam steps on the triplane and the decoder.
   *
   * @param guidance γ: weight of the pull of each view's denoised estimate toward the NeRF's rendering
   * @param ddimSteps diffusion steps
   * @param tMax first timestep as a fraction of T
   * @param finetuneSteps N: Adam steps on (W, θ) after each diffusion step
   * @param raysPerStep rays per finetuning step, drawn from all virtual views and the input view
   * @param lr Adam learning rate of the finetuning
   * @param keepInputView whether the input view's pixels stay in the finetuning pool
   */
  public record Distillation(Double guidance, Integer ddimSteps, Double tMax, Integer finetuneSteps,
      Integer raysPerStep, Double lr, Boolean keepInputView) {
    public Distillation {
      guidance = guidance == null ? 1.0 : guidance;
      ddimSteps = ddimSteps == null ? 20 : ddimSteps;
      tMax = tMax == null ? 0.98 : tMax;
      finetuneSteps = finetuneSteps == null ? 4 : finetuneSteps;
      raysPerStep = raysPerStep == null ? 1024 : raysPerStep;
      lr = lr == null ? 1e-3 : lr;
      keepInputView = keepInputView == null ? Boolean.TRUE : keepInputView;
      if (!(guidance >= 0)) {
        throw new IllegalArgumentException("nerfdiff distillation: guidance must be non-negative, got " + guidance);
      }
      if (ddimSteps < 1) {
        throw new IllegalArgumentException("nerfdiff distillation: ddim_steps must be positive, got " + ddimSteps);
      }
      if (!(tMax > 0 && tMax <= 1)) {
        throw new IllegalArgumentException("nerfdiff distillation: t_max must be in (0, 1], got " + tMax);
      }
      if (finetuneSteps < 0) {
        throw new IllegalArgumentException("nerfdiff distillation: finetune_steps must be non-negative, got "
            + finetuneSteps);
      }
      if (raysPerStep < 1) {
        throw new IllegalArgumentException("nerfdiff distillation: rays_per_step must be positive, got "
            + raysPerStep);
      }
      if (!(lr > 0)) {
        throw new IllegalArgumentException("nerfdiff distillation: lr must be positive, got " + lr);
      }
    }

    public static Distillation defaults() {
      return new Distillation(null, null, null, null, null, null, null);
    }

    /** These settings with guidance γ. */
    public Distillation withGuidance(double gamma) {
      return new Distillation(gamma, ddimSteps, tMax, finetuneSteps, raysPerStep, lr, keepInputView);
    }

    /** These settings with {@code n} finetuning steps per diffusion step. */
    public Distillation withFinetuneSteps(int n) {
      return new Distillation(guidance, ddimSteps, tMax, n, raysPerStep, lr, keepInputView);
    }
  }
}
