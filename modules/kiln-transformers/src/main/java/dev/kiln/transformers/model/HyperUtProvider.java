package dev.kiln.transformers.model;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/**
 * {@code "hyper-ut"}: Hyper-UT, arXiv 2310.08866 ({@link UniversalTransformer} with a
 * {@link HyperFeedForward}): UT-ACT whose feed-forward weights are generated per example and per step,
 * {@code W1 = W1⁰ + Σ_i α_i·B1_i}, {@code W2 = W2⁰ + Σ_i α_i·B2_i}, with
 * {@code α = softmax_i(LN(h_CLS)·W_q · (e_i·W_k) / √r)} over a pool of P learned embedding/bank pairs
 * (the paper gives no router equations; these are Kiln's). Report {@code docs/reproductions/hyper-ut.md}.
 */
public final class HyperUtProvider implements ArchitectureProvider<HyperUtConfig> {

  @Override
  public String name() {
    return "hyper-ut";
  }

  @Override
  public Class<HyperUtConfig> configType() {
    return HyperUtConfig.class;
  }

  @Override
  public Architecture create(HyperUtConfig config) {
    return config.architecture();
  }

  /**
   * A small model, so the conformance suite's finite differences stay fast, with SiLU instead of
   * GELU: ONNX Runtime has no float64 Erf, and with SiLU the whole model is checked in float64.
   */
  @Override
  public HyperUtConfig exampleConfig() {
    return new HyperUtConfig(5, 5, 5, 8, 2, 16, 3, 0.01, 1.0, 3, 2, 4, "silu", null, null, null);
  }

  @Override
  public String description() {
    return "Hyper-UT (arXiv 2310.08866): UT-ACT whose FFN weights are generated per example and step"
        + " from a routed pool";
  }
}
