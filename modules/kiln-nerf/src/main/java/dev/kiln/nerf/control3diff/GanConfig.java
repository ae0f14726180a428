package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.field.TriplaneField;

/**
 * Sizes and training constants of the triplane GAN.
 *
 * @param latent size of z
 * @param style size of w, the mapping network's output and the diffusion model's state
 * @param mappingWidth hidden width of the mapping network (two hidden layers)
 * @param synthesisChannels channels of the synthesis network's 4×4 and 8×8 feature maps
 * @param field the triplane layout and its decoder
 * @param imageSize rendered image side in pixels
 * @param samplesPerRay stratified samples per ray inside [−1, 1]³
 * @param discriminatorChannels channels of the discriminator's first convolution (doubled once)
 * @param r1Gamma γ of the R1 penalty {@code γ/2 · E‖∇ₓD(x)‖²} on real images
 * @param generatorLr Adam learning rate of the generator (mapping, synthesis, decoder)
 * @param discriminatorLr Adam learning rate of the discriminator
 * @param beta1 Adam β₁ (StyleGAN2 and EG3D use 0)
 * @param beta2 Adam β₂ (StyleGAN2 and EG3D use 0.99)
 * @param batch images per step
 * @param steps training steps (one discriminator and one generator update each)
 */
public record GanConfig(Integer latent, Integer style, Integer mappingWidth, Integer synthesisChannels,
    TriplaneField.Config field, Integer imageSize, Integer samplesPerRay, Integer discriminatorChannels,
    Double r1Gamma, Double generatorLr, Double discriminatorLr, Double beta1, Double beta2, Integer batch,
    Integer steps) {

  public GanConfig {
    latent = latent == null ? 32 : latent;
    style = style == null ? 32 : style;
    mappingWidth = mappingWidth == null ? 64 : mappingWidth;
    synthesisChannels = synthesisChannels == null ? 32 : synthesisChannels;
    field = field == null ? new TriplaneField.Config(4, 16, 32, null) : field;
    imageSize = imageSize == null ? 16 : imageSize;
    samplesPerRay = samplesPerRay == null ? 12 : samplesPerRay;
    discriminatorChannels = discriminatorChannels == null ? 32 : discriminatorChannels;
    r1Gamma = r1Gamma == null ? 1.0 : r1Gamma;
    generatorLr = generatorLr == null ? 4e-4 : generatorLr;
    discriminatorLr = discriminatorLr == null ? 4e-4 : discriminatorLr;
    beta1 = beta1 == null ? 0.0 : beta1;
    beta2 = beta2 == null ? 0.99 : beta2;
    batch = batch == null ? 16 : batch;
    steps = steps == null ? 1500 : steps;
    positive("latent", latent);
    positive("style", style);
    positive("mapping_width", mappingWidth);
    positive("synthesis_channels", synthesisChannels);
    positive("samples_per_ray", samplesPerRay);
    positive("discriminator_channels", discriminatorChannels);
    positive("batch", batch);
    if (steps < 0) {
      throw new IllegalArgumentException("gan: steps must not be negative, got " + steps);
    }
    if (field.resolution() % 4 != 0) {
      throw new IllegalArgumentException("gan: field.resolution must be a multiple of 4 (synthesis starts at a "
          + "quarter of it), got " + field.resolution());
    }
    if (imageSize < 8 || imageSize % 4 != 0) {
      throw new IllegalArgumentException("gan: image_size must be a multiple of 4 and at least 8, got " + imageSize);
    }
    if (!(r1Gamma >= 0)) {
      throw new IllegalArgumentException("gan: r1_gamma must not be negative, got " + r1Gamma);
    }
    if (!(generatorLr > 0) || !(discriminatorLr > 0)) {
      throw new IllegalArgumentException("gan: learning rates must be positive, got generator_lr " + generatorLr
          + " and discriminator_lr " + discriminatorLr);
    }
  }

  /** The defaults: 16×16 renders of a 3×4×16×16 triplane, batch 16, 1,500 steps. */
  public static GanConfig defaults() {
    return new GanConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** These settings with another step count. */
  public GanConfig withSteps(int n) {
    return new GanConfig(latent, style, mappingWidth, synthesisChannels, field, imageSize, samplesPerRay,
        discriminatorChannels, r1Gamma, generatorLr, discriminatorLr, beta1, beta2, batch, n);
  }

  /** These settings with another R1 weight. */
  public GanConfig withR1Gamma(double gamma) {
    return new GanConfig(latent, style, mappingWidth, synthesisChannels, field, imageSize, samplesPerRay,
        discriminatorChannels, gamma, generatorLr, discriminatorLr, beta1, beta2, batch, steps);
  }

  /** Pixels per rendered image. */
  public int pixels() {
    return imageSize * imageSize;
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("gan: " + field + " must be positive, got " + v);
    }
  }
}
