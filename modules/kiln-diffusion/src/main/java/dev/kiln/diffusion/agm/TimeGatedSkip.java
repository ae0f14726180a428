package dev.kiln.diffusion.agm;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Value;
import dev.kiln.nn.Linear;
import java.util.List;

/**
 * A skip path around a flat MLP: {@code skip = Σ_k a_k(t) ⊙ flatten(in_k)}, where each gate
 * {@code a_k(t) [N, d] = Linear(time features)} is one weight per element and time feature. Targets
 * that contain the network's own input with a time-dependent weight (ε ≈ x_t/σ_t near the data end,
 * the bridge's x and v terms) pass through it exactly, which a bottleneck narrower than the sample
 * cannot do. The gates start at zero, so an untrained network is its MLP alone.
 */
final class TimeGatedSkip {

  private TimeGatedSkip() {}

  /**
   * @param temb time features [N, e]
   * @param inputs the flattened inputs, each [N, d]
   * @return the skip term [N, d]
   */
  static Value apply(Graph g, String name, Value temb, List<Value> inputs, long d) {
    long e = temb.shape().dim(1).size();
    Value sum = null;
    for (int k = 0; k < inputs.size(); k++) {
      Value gate = Linear.of(name + "_gate" + k, e, d).withInit(Init.zeros()).apply(g, temb);
      Value term = g.mul(gate, inputs.get(k));
      sum = sum == null ? term : g.add(sum, term);
    }
    return sum;
  }
}
