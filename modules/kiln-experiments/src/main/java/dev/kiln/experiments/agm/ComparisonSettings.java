package dev.kiln.experiments.agm;

import java.util.List;

/**
 * One data set's AGM-vs-diffusion comparison in the {@code agm} experiment: both models get the same
 * MLP widths and depth, training steps and batch, and on digits both the same time-gated skip path
 * around the MLP (a 784-wide sample through 512-wide hidden layers cannot carry the ε-prediction
 * target's x/σ term otherwise); samples are scored at each NFE over several noise seeds.
 *
 * @param key short name used in file names ({@code toy}, {@code digits})
 * @param data the data set (8gaussians, mnist)
 * @param sampleShape one sample's shape
 * @param trainSteps optimizer steps per model
 * @param batch examples per step
 * @param hidden MLP width
 * @param depth MLP hidden layers
 * @param samples samples per scored run
 * @param seeds noise seeds per scored cell
 * @param nfes model evaluations compared
 * @param hops the t_hop values swept for AGM
 * @param earlyNfe evaluations of the trajectory whose early predictions are scored
 * @param sdeModel also train an SDE-label AGM model and score SSCS and Euler–Maruyama
 * @param skip give both networks the time-gated skip path ({@code skip} of agm-mlp and flat-mlp-denoiser)
 */
record ComparisonSettings(String key, String data, List<Integer> sampleShape, int trainSteps, int batch, int hidden,
    int depth, int samples, int seeds, List<Integer> nfes, List<Double> hops, int earlyNfe, boolean sdeModel,
    boolean skip) {

  static final List<Integer> NFES = List.of(3, 5, 10, 20, 50);
  static final List<Double> HOPS = List.of(0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999);

  /** 8 Gaussians, MLP 4×128, 8,000 steps of 512; 3,000 samples per score. */
  static ComparisonSettings toy(boolean quick, int seeds) {
    return quick
        ? new ComparisonSettings("toy", "8gaussians", List.of(2), 60, 64, 32, 2, 200, 1, List.of(3, 10),
            List.of(0.5, 0.9), 4, true, false)
        : new ComparisonSettings("toy", "8gaussians", List.of(2), 8000, 512, 128, 4, 3000, seeds, NFES, HOPS, 25,
            true, false);
  }

  /** MNIST digits, flattened, MLP 3×512 with the skip path, 4,000 steps of 128; 1,000 samples per score. */
  static ComparisonSettings digits(int seeds) {
    return new ComparisonSettings("digits", "mnist", List.of(1, 28, 28), 4000, 128, 512, 3, 1000, seeds, NFES, HOPS,
        25, false, true);
  }

  /** The digits pipeline on a narrow model, a few steps and samples: checks it runs, not the method. */
  static ComparisonSettings digitsQuick() {
    return new ComparisonSettings("digits", "mnist", List.of(1, 28, 28), 20, 16, 32, 2, 64, 1, List.of(3),
        List.of(0.5), 3, false, true);
  }

  boolean images() {
    return sampleShape.size() > 1;
  }

  /** The metric that picks t_hop and heads the tables: SWD for points, FD for digits. */
  String metric() {
    return images() ? "fd" : "swd";
  }
}
