package dev.kiln.transformers.model;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/**
 * {@code "hyperu-vit"}: HyperU-ViT, arXiv 2310.08866 ({@link UniversalTransformer} with a
 * {@link PatchSequence}); report {@code docs/reproductions/hyper-ut.md}.
 */
public final class HyperUVitProvider implements ArchitectureProvider<HyperUVitConfig> {

  @Override
  public String name() {
    return "hyperu-vit";
  }

  @Override
  public Class<HyperUVitConfig> configType() {
    return HyperUVitConfig.class;
  }

  @Override
  public Architecture create(HyperUVitConfig config) {
    return config.architecture();
  }

  /**
   * A small model, so the conformance suite's finite differences stay fast, with SiLU instead of
   * GELU: ONNX Runtime has no float64 Erf, and with SiLU the whole model is checked in float64.
   */
  @Override
  public HyperUVitConfig exampleConfig() {
    return new HyperUVitConfig(8, 4, 1, 3, 8, 2, 16, 3, 0.01, 1.0, 3, 2, 4, "silu", null, null);
  }

  @Override
  public String description() {
    return "HyperU-ViT: Hyper-UT over image patches with ACT (pool_size 0: U-ViT): x -> logits, ponder, steps";
  }
}
