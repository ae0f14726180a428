package dev.kiln.text.metrics;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A bag-of-words attribute classifier, trained separately from every generator to score whether
 * generated text carries the requested attribute: multinomial logistic regression on binary
 * unigram and bigram features hashed into {@value #FEATURES} buckets, fitted by SGD with L2 decay for
 * a fixed number of epochs in an order drawn from the seed.
 */
public final class AttributeClassifier {

  private static final int FEATURES = 1 << 16;

  private final int classes;
  private final double[] w;

  private AttributeClassifier(int classes, double[] w) {
    this.classes = classes;
    this.w = w;
  }

  /** Fits the classifier on labelled texts. */
  public static AttributeClassifier train(List<String> texts, int[] labels, int classes, int epochs, long seed) {
    double[] w = new double[classes * (FEATURES + 1)];
    AttributeClassifier m = new AttributeClassifier(classes, w);
    int[][] feats = texts.stream().map(AttributeClassifier::features).toArray(int[][]::new);
    SplittableRandom rng = new SplittableRandom(seed);
    int[] order = new int[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    double lr = 0.2;
    double decay = 1e-6;
    for (int e = 0; e < epochs; e++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int i : order) {
        double[] p = m.probabilities(feats[i]);
        for (int c = 0; c < classes; c++) {
          double grad = p[c] - (labels[i] == c ? 1 : 0);
          int base = c * (FEATURES + 1);
          for (int f : feats[i]) {
            w[base + f] -= lr * (grad + decay * w[base + f]);
          }
          w[base + FEATURES] -= lr * grad;
        }
      }
      lr *= 0.7;
    }
    return m;
  }

  /** The most probable class of {@code text}. */
  public int predict(String text) {
    double[] p = probabilities(features(text));
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }

  /** Share of texts whose predicted class is the label. */
  public double accuracy(List<String> texts, int[] labels) {
    int right = 0;
    for (int i = 0; i < texts.size(); i++) {
      if (predict(texts.get(i)) == labels[i]) {
        right++;
      }
    }
    return texts.isEmpty() ? 0 : (double) right / texts.size();
  }

  private double[] probabilities(int[] feats) {
    double[] z = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      int base = c * (FEATURES + 1);
      double s = w[base + FEATURES];
      for (int f : feats) {
        s += w[base + f];
      }
      z[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < classes; c++) {
      z[c] /= sum;
    }
    return z;
  }

  private static int[] features(String text) {
    String[] w = Bleu.words(text);
    java.util.Set<Integer> f = new java.util.TreeSet<>();
    for (int i = 0; i < w.length; i++) {
      f.add(Math.floorMod(w[i].hashCode(), FEATURES));
      if (i + 1 < w.length) {
        f.add(Math.floorMod((w[i] + " " + w[i + 1]).hashCode() * 31 + 7, FEATURES));
      }
    }
    return f.stream().mapToInt(Integer::intValue).toArray();
  }
}
