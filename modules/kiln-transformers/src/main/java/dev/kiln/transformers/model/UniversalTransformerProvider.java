package dev.kiln.transformers.model;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/**
 * {@code "universal-transformer"}: a Universal Transformer (arXiv 1807.03819) with per-example adaptive
 * computation time ({@link UniversalTransformer}), the UT-ACT baseline of Hyper-UT (arXiv 2310.08866).
 * One shared pre-LN block is applied for s = 1..T_max, {@code h_s = Block(h_{s−1})}; the halting unit
 * {@code p_s = σ(LN(h_s,CLS)·w_h + b_h)} stops an example once {@code Σ p ≥ 1 − ε}, and the classifier
 * reads {@code Σ_s w_s·h_s,CLS} ({@link ActState}). Report: {@code docs/reproductions/hyper-ut.md}.
 */
public final class UniversalTransformerProvider implements ArchitectureProvider<UniversalTransformerConfig> {

  @Override
  public String name() {
    return "universal-transformer";
  }

  @Override
  public Class<UniversalTransformerConfig> configType() {
    return UniversalTransformerConfig.class;
  }

  @Override
  public Architecture create(UniversalTransformerConfig config) {
    return config.architecture();
  }

  /**
   * A small model, so the conformance suite's finite differences stay fast, with SiLU instead of
   * GELU: ONNX Runtime has no float64 Erf, and with SiLU the whole model is checked in float64.
   */
  @Override
  public UniversalTransformerConfig exampleConfig() {
    return new UniversalTransformerConfig(5, 5, 5, 8, 2, 16, 3, 0.01, 1.0, "silu", null, null);
  }

  @Override
  public String description() {
    return "Universal Transformer with per-example ACT: tokens [N,L] -> logits, ponder, steps";
  }
}
