package dev.kiln.transformers.model;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "transformer-encoder"}: a fixed-depth Transformer encoder over integer tokens ({@link FixedDepthEncoder}). */
public final class TransformerEncoderProvider implements ArchitectureProvider<TransformerEncoderConfig> {

  @Override
  public String name() {
    return "transformer-encoder";
  }

  @Override
  public Class<TransformerEncoderConfig> configType() {
    return TransformerEncoderConfig.class;
  }

  @Override
  public Architecture create(TransformerEncoderConfig config) {
    return config.architecture();
  }

  /**
   * A small model, so the conformance suite's finite differences stay fast, with SiLU instead of
   * GELU: ONNX Runtime has no float64 Erf, and with SiLU the whole model is checked in float64.
   */
  @Override
  public TransformerEncoderConfig exampleConfig() {
    return new TransformerEncoderConfig(5, 5, 5, 8, 2, 16, 2, "silu", null, null);
  }

  @Override
  public String description() {
    return "fixed-depth pre-LN Transformer encoder over integer tokens: tokens [N,L] -> logits";
  }
}
