package dev.kiln.nerf.control3diff;

/**
 * The latent diffusion model over w and how it is trained.
 *
 * @param hidden width of the denoiser's residual MLP
 * @param blocks residual blocks, each modulated (FiLM) by the time and control embedding
 * @param embedding width of the time and control embeddings
 * @param encoderChannels channels of the control encoder's first convolution (doubled twice)
 * @param timesteps diffusion steps T (linear β from {@code betaStart} to {@code betaEnd})
 * @param betaStart first β
 * @param betaEnd last β
 * @param dropout classifier-free dropout: the probability that a training example's control is replaced
 *     by the learned null embedding
 * @param lr Adam learning rate
 * @param batch examples per step
 * @param steps training steps
 * @param pool GAN samples (w, camera, rendering) drawn before training, each used about
 *     {@code steps·batch/pool} times
 */
public record PriorConfig(Integer hidden, Integer blocks, Integer embedding, Integer encoderChannels,
    Integer timesteps, Double betaStart, Double betaEnd, Double dropout, Double lr, Integer batch, Integer steps,
    Integer pool) {

  public PriorConfig {
    hidden = hidden == null ? 256 : hidden;
    blocks = blocks == null ? 3 : blocks;
    embedding = embedding == null ? 128 : embedding;
    encoderChannels = encoderChannels == null ? 16 : encoderChannels;
    timesteps = timesteps == null ? 1000 : timesteps;
    betaStart = betaStart == null ? 1e-4 : betaStart;
    betaEnd = betaEnd == null ? 2e-2 : betaEnd;
    dropout = dropout == null ? 0.1 : dropout;
    lr = lr == null ? 1e-3 : lr;
    batch = batch == null ? 64 : batch;
    steps = steps == null ? 3000 : steps;
    pool = pool == null ? 4096 : pool;
    if (hidden < 1 || blocks < 1 || embedding < 2 || embedding % 2 != 0 || encoderChannels < 1) {
      throw new IllegalArgumentException("prior: hidden, blocks and encoder_channels must be positive and embedding "
          + "even, got " + hidden + ", " + blocks + ", " + encoderChannels + ", " + embedding);
    }
    if (!(dropout >= 0 && dropout <= 1)) {
      throw new IllegalArgumentException("prior: dropout must be in [0, 1], got " + dropout);
    }
    if (!(betaStart > 0 && betaEnd < 1 && betaStart < betaEnd)) {
      throw new IllegalArgumentException("prior: need 0 < beta_start < beta_end < 1, got " + betaStart + ", "
          + betaEnd);
    }
    if (batch < 1 || steps < 0 || pool < 1 || timesteps < 2) {
      throw new IllegalArgumentException("prior: batch, pool positive, steps not negative, timesteps at least 2; got "
          + batch + ", " + pool + ", " + steps + ", " + timesteps);
    }
  }

  /** The defaults: a 3-block, 256-wide denoiser, 3,000 steps of 64 from a pool of 4,096 GAN samples. */
  public static PriorConfig defaults() {
    return new PriorConfig(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** These settings with another step count. */
  public PriorConfig withSteps(int n) {
    return new PriorConfig(hidden, blocks, embedding, encoderChannels, timesteps, betaStart, betaEnd, dropout, lr,
        batch, n, pool);
  }
}
