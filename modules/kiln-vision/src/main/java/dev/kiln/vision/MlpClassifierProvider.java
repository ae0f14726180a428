package dev.kiln.vision;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "mlp-classifier"}: {@link MlpClassifier}. */
public final class MlpClassifierProvider implements ArchitectureProvider<MlpClassifier.Config> {

  @Override
  public String name() {
    return "mlp-classifier";
  }

  @Override
  public Class<MlpClassifier.Config> configType() {
    return MlpClassifier.Config.class;
  }

  @Override
  public Architecture create(MlpClassifier.Config config) {
    return new MlpClassifier(config);
  }

  @Override
  public String description() {
    return "MLP classifier of flattened images: x [N,in] -> logits [N,classes], features";
  }
}
