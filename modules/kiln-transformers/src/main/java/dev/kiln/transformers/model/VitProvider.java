package dev.kiln.transformers.model;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "vit"}: a ViT over image patches ({@link FixedDepthEncoder} with a {@link PatchSequence}). */
public final class VitProvider implements ArchitectureProvider<VitConfig> {

  @Override
  public String name() {
    return "vit";
  }

  @Override
  public Class<VitConfig> configType() {
    return VitConfig.class;
  }

  @Override
  public Architecture create(VitConfig config) {
    return config.architecture();
  }

  /**
   * A small model, so the conformance suite's finite differences stay fast, with SiLU instead of
   * GELU: ONNX Runtime has no float64 Erf, and with SiLU the whole model is checked in float64.
   */
  @Override
  public VitConfig exampleConfig() {
    return new VitConfig(8, 4, 1, 3, 8, 2, 16, 2, "silu", null, null);
  }

  @Override
  public String description() {
    return "ViT over image patches: x [N,C*H*W] -> logits";
  }
}
