package dev.kiln.text.lm;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "transformer-lm"}: {@link TransformerLm}. */
public final class TransformerLmProvider implements ArchitectureProvider<TransformerLm.Config> {

  @Override
  public String name() {
    return "transformer-lm";
  }

  @Override
  public Class<TransformerLm.Config> configType() {
    return TransformerLm.Config.class;
  }

  @Override
  public Architecture create(TransformerLm.Config config) {
    return new TransformerLm(config);
  }

  /**
   * One block of width 8 over 4 tokens with σReparam and no LayerNorm (tanh MLP), so the conformance
   * suite checks gradients through the σReparam transformer in float64.
   */
  @Override
  public TransformerLm.Config exampleConfig() {
    return new TransformerLm.Config(11, 4, 1, 8, 2, 2, "none", "vision", "tanh", false, 0.02);
  }

  @Override
  public String description() {
    return "causal decoder-only transformer LM: tokens [N,T] -> logits [N,T,vocab]; norm pre|post|none,"
        + " sigma_reparam none|vision|speech";
  }
}
