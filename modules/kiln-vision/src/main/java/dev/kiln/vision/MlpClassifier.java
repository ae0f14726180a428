package dev.kiln.vision;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MLP classifier of flattened images: {@code x [N, in] → hidden layers (ReLU) → logits [N, classes]},
 * also returning the last hidden layer as {@code features} (what Fréchet distances compare).
 *
 * @param config sizes
 */
public record MlpClassifier(Config config) implements Architecture {

  /**
   * @param inputs flattened input size
   * @param hidden hidden widths
   * @param classes number of classes
   */
  public record Config(Integer inputs, List<Integer> hidden, Integer classes) {
    public Config {
      inputs = inputs == null ? 784 : inputs;
      hidden = hidden == null ? List.of(512, 256) : List.copyOf(hidden);
      classes = classes == null ? 10 : classes;
      if (hidden.isEmpty() || inputs < 1 || classes < 2) {
        throw new IllegalArgumentException("mlp-classifier needs inputs >= 1, at least one hidden layer and"
            + " classes >= 2");
      }
    }
  }

  @Override
  public List<ModelInput> inputs() {
    return List.of(ModelInput.batched("x", config.inputs()).withRange(-1, 1));
  }

  @Override
  public List<String> outputs() {
    return List.of("logits", "features");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> in) {
    Value h = in.get("x");
    long width = config.inputs();
    for (int i = 0; i < config.hidden().size(); i++) {
      long next = config.hidden().get(i);
      h = Activation.RELU.apply(g, Linear.of("fc" + i, width, next).apply(g, h));
      width = next;
    }
    Map<String, Value> out = new LinkedHashMap<>();
    out.put("logits", Linear.of("head", width, config.classes()).apply(g, h));
    out.put("features", h);
    return out;
  }
}
