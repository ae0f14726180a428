package dev.kiln.train;

import java.util.List;
import java.util.Locale;

/**
 * Optimizer settings as a recipe writes them ({@code "optimizer": {"type": "adamw", "lr": 1e-3,
 * "weight_decay": 0.01}}). Absent fields take PyTorch's defaults.
 *
 * @param type sgd, adam, adamw or lamb
 * @param lr peak learning rate (the schedule scales it)
 * @param beta1 first-moment decay (adam, adamw, lamb)
 * @param beta2 second-moment decay
 * @param eps denominator guard
 * @param weightDecay L2 penalty (sgd, adam) or decoupled decay (adamw, lamb)
 * @param momentum SGD momentum
 * @param nesterov SGD Nesterov momentum
 * @param noDecay name fragments of parameters that get no weight decay; when absent, every
 *     parameter of rank ≤ 1 (biases, norm scales) is excluded
 */
public record OptimizerConfig(String type, Double lr, Double beta1, Double beta2, Double eps, Double weightDecay,
    Double momentum, Boolean nesterov, List<String> noDecay) {

  public OptimizerConfig {
    type = type == null ? "adam" : type.toLowerCase(Locale.ROOT);
    if (!List.of("sgd", "adam", "adamw", "lamb").contains(type)) {
      throw new IllegalArgumentException("optimizer `type` must be sgd, adam, adamw or lamb, got `" + type + "`");
    }
    lr = lr == null ? 1e-3 : lr;
    beta1 = beta1 == null ? 0.9 : beta1;
    beta2 = beta2 == null ? 0.999 : beta2;
    eps = eps == null ? (type.equals("lamb") ? 1e-6 : 1e-8) : eps;
    weightDecay = weightDecay == null ? (type.equals("adamw") ? 0.01 : 0.0) : weightDecay;
    momentum = momentum == null ? 0.0 : momentum;
    nesterov = nesterov != null && nesterov;
    requireRange("lr", lr, 0, Double.MAX_VALUE, false);
    requireRange("beta1", beta1, 0, 1, true);
    requireRange("beta2", beta2, 0, 1, true);
    requireRange("weight_decay", weightDecay, 0, Double.MAX_VALUE, false);
    requireRange("momentum", momentum, 0, 1, true);
    noDecay = noDecay == null ? null : List.copyOf(noDecay);
  }

  private static void requireRange(String field, double v, double lo, double hi, boolean openHigh) {
    if (!(v >= lo) || (openHigh ? v >= hi : v > hi)) {
      throw new IllegalArgumentException("optimizer field `" + field + "` must be in [" + lo + ", " + hi
          + (openHigh ? ")" : "]") + ", got " + v);
    }
  }

  /** Adam with learning rate {@code lr}. */
  public static OptimizerConfig adam(double lr) {
    return new OptimizerConfig("adam", lr, null, null, null, null, null, null, null);
  }

  /** AdamW with learning rate {@code lr} and decoupled weight decay {@code wd}. */
  public static OptimizerConfig adamw(double lr, double wd) {
    return new OptimizerConfig("adamw", lr, null, null, null, wd, null, null, null);
  }

  /** SGD with momentum. */
  public static OptimizerConfig sgd(double lr, double momentum, boolean nesterov) {
    return new OptimizerConfig("sgd", lr, null, null, null, null, momentum, nesterov, null);
  }

  /** LAMB with learning rate {@code lr} and weight decay {@code wd}. */
  public static OptimizerConfig lamb(double lr, double wd) {
    return new OptimizerConfig("lamb", lr, null, null, null, wd, null, null, null);
  }

  /** Whether parameter {@code name} of the given rank takes weight decay. */
  public boolean decays(String name, int rank) {
    if (noDecay == null) {
      return rank > 1;
    }
    return noDecay.stream().noneMatch(name::contains);
  }
}
