package dev.kiln.train;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters in place from their gradients. Parameters, gradients and state are float32
 * tensors in direct buffers: the parameters are the very buffers ONNX Runtime reads, so an update
 * needs no copy. Construct with {@link #create}.
 */
public abstract class Optimizer {

  /**
   * One trainable tensor.
   *
   * @param name parameter name
   * @param param the live values
   * @param grad where the training step writes the gradient
   * @param decay whether weight decay applies
   */
  public record Slot(String name, Tensor param, Tensor grad, boolean decay) {
    public Slot {
      if (param.dtype() != DType.FLOAT || grad.dtype() != DType.FLOAT) {
        throw new IllegalArgumentException("parameter `" + name + "` must be float32 to be trained");
      }
    }
  }

  protected final List<Slot> slots;
  protected final OptimizerConfig config;

  protected Optimizer(OptimizerConfig config, List<Slot> slots) {
    this.config = config;
    this.slots = List.copyOf(slots);
  }

  /** An optimizer of the configured type. */
  public static Optimizer create(OptimizerConfig config, List<Slot> slots) {
    return switch (config.type()) {
      case "sgd" -> new Sgd(config, slots);
      case "adam", "adamw" -> new Adam(config, slots);
      case "lamb" -> new Lamb(config, slots);
      default -> throw new IllegalArgumentException("unknown optimizer " + config.type());
    };
  }

  public OptimizerConfig config() {
    return config;
  }

  /** Applies update number {@code t} (1-based) with learning rate {@code lr}. */
  public abstract void step(double lr, long t);

  /** State tensors by {@code <kind>/<parameter>}, for checkpoints (live, not copies). */
  public abstract Map<String, Tensor> state();

  /** Restores state saved by {@link #state()}. */
  public void load(Map<String, Tensor> saved) {
    state().forEach((k, live) -> {
      Tensor t = saved.get(k);
      if (t == null) {
        throw new IllegalArgumentException("checkpoint lacks optimizer state `" + k + "`");
      }
      live.copyFrom(t);
    });
  }

  protected Map<String, Tensor> zerosLikeParams(String kind) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Slot s : slots) {
      m.put(kind + "/" + s.name(), Tensor.zeros(DType.FLOAT, s.param().shape()));
    }
    return m;
  }

  /** SGD with optional (Nesterov) momentum and L2 weight decay. */
  static final class Sgd extends Optimizer {
    private final Map<String, Tensor> momentum;

    Sgd(OptimizerConfig c, List<Slot> slots) {
      super(c, slots);
      this.momentum = c.momentum() > 0 ? zerosLikeParams("momentum") : Map.of();
    }

    @Override
    public void step(double lr, long t) {
      float mu = config.momentum().floatValue();
      for (Slot s : slots) {
        FloatBuffer p = s.param().floats();
        FloatBuffer g = s.grad().floats();
        FloatBuffer buf = mu > 0 ? momentum.get("momentum/" + s.name()).floats() : null;
        float wd = s.decay() ? config.weightDecay().floatValue() : 0f;
        for (int i = 0, n = p.capacity(); i < n; i++) {
          float d = g.get(i) + wd * p.get(i);
          if (buf != null) {
            float b = mu * buf.get(i) + d;
            buf.put(i, b);
            d = config.nesterov() ? d + mu * b : b;
          }
          p.put(i, p.get(i) - (float) lr * d);
        }
      }
    }

    @Override
    public Map<String, Tensor> state() {
      return momentum;
    }
  }

  /** Adam; with type {@code adamw} the weight decay is decoupled (applied to the weights, not the gradient). */
  static final class Adam extends Optimizer {
    private final Map<String, Tensor> m;
    private final Map<String, Tensor> v;
    private final boolean decoupled;

    Adam(OptimizerConfig c, List<Slot> slots) {
      super(c, slots);
      this.m = zerosLikeParams("exp_avg");
      this.v = zerosLikeParams("exp_avg_sq");
      this.decoupled = c.type().equals("adamw");
    }

    @Override
    public void step(double lr, long t) {
      float b1 = config.beta1().floatValue();
      float b2 = config.beta2().floatValue();
      float eps = config.eps().floatValue();
      double bc1 = 1 - Math.pow(config.beta1(), t);
      double bc2 = 1 - Math.pow(config.beta2(), t);
      float stepSize = (float) (lr / bc1);
      float bc2Sqrt = (float) Math.sqrt(bc2);
      for (Slot s : slots) {
        FloatBuffer p = s.param().floats();
        FloatBuffer g = s.grad().floats();
        FloatBuffer mb = m.get("exp_avg/" + s.name()).floats();
        FloatBuffer vb = v.get("exp_avg_sq/" + s.name()).floats();
        float wd = s.decay() ? config.weightDecay().floatValue() : 0f;
        float shrink = decoupled ? 1f - (float) lr * wd : 1f;
        float l2 = decoupled ? 0f : wd;
        for (int i = 0, n = p.capacity(); i < n; i++) {
          float pi = p.get(i);
          float gi = g.get(i) + l2 * pi;
          float mi = b1 * mb.get(i) + (1 - b1) * gi;
          float vi = b2 * vb.get(i) + (1 - b2) * gi * gi;
          mb.put(i, mi);
          vb.put(i, vi);
          p.put(i, pi * shrink - stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps));
        }
      }
    }

    @Override
    public Map<String, Tensor> state() {
      Map<String, Tensor> all = new LinkedHashMap<>(m);
      all.putAll(v);
      return all;
    }
  }

  /** LAMB (You et al. 2019): Adam's direction plus decoupled decay, scaled per layer by ‖w‖/‖update‖. */
  static final class Lamb extends Optimizer {
    private final Map<String, Tensor> m;
    private final Map<String, Tensor> v;
    private float[] update = new float[0];

    Lamb(OptimizerConfig c, List<Slot> slots) {
      super(c, slots);
      this.m = zerosLikeParams("exp_avg");
      this.v = zerosLikeParams("exp_avg_sq");
    }

    @Override
    public void step(double lr, long t) {
      float b1 = config.beta1().floatValue();
      float b2 = config.beta2().floatValue();
      float eps = config.eps().floatValue();
      float bc1 = (float) (1 - Math.pow(config.beta1(), t));
      float bc2 = (float) (1 - Math.pow(config.beta2(), t));
      for (Slot s : slots) {
        FloatBuffer p = s.param().floats();
        FloatBuffer g = s.grad().floats();
        FloatBuffer mb = m.get("exp_avg/" + s.name()).floats();
        FloatBuffer vb = v.get("exp_avg_sq/" + s.name()).floats();
        float wd = s.decay() ? config.weightDecay().floatValue() : 0f;
        int n = p.capacity();
        if (update.length < n) {
          update = new float[n];
        }
        double wNorm = 0;
        double uNorm = 0;
        for (int i = 0; i < n; i++) {
          float gi = g.get(i);
          float mi = b1 * mb.get(i) + (1 - b1) * gi;
          float vi = b2 * vb.get(i) + (1 - b2) * gi * gi;
          mb.put(i, mi);
          vb.put(i, vi);
          float pi = p.get(i);
          float u = (mi / bc1) / ((float) Math.sqrt(vi / bc2) + eps) + wd * pi;
          update[i] = u;
          wNorm += (double) pi * pi;
          uNorm += (double) u * u;
        }
        double trust = wNorm > 0 && uNorm > 0 ? Math.sqrt(wNorm) / Math.sqrt(uNorm) : 1.0;
        float scale = (float) (lr * trust);
        for (int i = 0; i < n; i++) {
          p.put(i, p.get(i) - scale * update[i]);
        }
      }
    }

    @Override
    public Map<String, Tensor> state() {
      Map<String, Tensor> all = new LinkedHashMap<>(m);
      all.putAll(v);
      return all;
    }
  }
}
