package dev.kiln.ssl.data;

import dev.kiln.runtime.Tensor;
import dev.kiln.ssl.augment.Picture;
import java.util.List;

/**
 * Pictures with one label per factor, split into a training and a test part by index (the first
 * {@code trainSize} pictures train). Pictures are rendered once and shared, never modified.
 *
 * @param name the image set's name in reports
 * @param factors the labelled factors, one downstream task each
 * @param pictures every picture, all of one size
 * @param labels {@code labels[f][i]}: the value of factor f for picture i
 * @param trainSize pictures in the training part
 */
public record FactorImages(String name, List<Factor> factors, Picture[] pictures, int[][] labels, int trainSize) {

  public FactorImages {
    factors = List.copyOf(factors);
    if (labels.length != factors.size()) {
      throw new IllegalArgumentException(name + ": " + labels.length + " label rows for " + factors.size() + " factors");
    }
    for (int f = 0; f < labels.length; f++) {
      if (labels[f].length != pictures.length) {
        throw new IllegalArgumentException(name + ": factor `" + factors.get(f).name() + "` has " + labels[f].length
            + " labels for " + pictures.length + " pictures");
      }
    }
    if (trainSize < 1 || trainSize >= pictures.length) {
      throw new IllegalArgumentException(name + ": train size must be in [1, " + pictures.length + "), got "
          + trainSize);
    }
  }

  public int size() {
    return pictures.length;
  }

  public int testSize() {
    return pictures.length - trainSize;
  }

  public Picture picture(int i) {
    return pictures[i];
  }

  /** Channels, height and width shared by every picture. */
  public long[] pictureShape() {
    Picture p = pictures[0];
    return new long[] {p.channels(), p.height(), p.width()};
  }

  /** The index of factor {@code name}. */
  public int factorIndex(String factorName) {
    for (int f = 0; f < factors.size(); f++) {
      if (factors.get(f).name().equals(factorName)) {
        return f;
      }
    }
    throw new IllegalArgumentException(name + " has no factor `" + factorName + "`; factors are "
        + factors.stream().map(Factor::name).toList());
  }

  /** Factor {@code f} of picture {@code i}. */
  public int label(int f, int i) {
    return labels[f][i];
  }

  /** Pictures {@code indices} as FLOAT {@code images [k, C, H, W]}, unaugmented. */
  public Tensor images(int[] indices) {
    long[] s = pictureShape();
    int per = (int) (s[0] * s[1] * s[2]);
    float[] out = new float[indices.length * per];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(pictures[indices[k]].pixels(), 0, out, k * per, per);
    }
    return Tensor.of(out, indices.length, s[0], s[1], s[2]);
  }
}
