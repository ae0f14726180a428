package dev.kiln.ssl.data;

/**
 * One independent factor of an image set, and the downstream task of predicting it.
 *
 * @param name the factor ({@code "hue"})
 * @param classes how many values it takes
 */
public record Factor(String name, int classes) {

  public Factor {
    if (classes < 2) {
      throw new IllegalArgumentException("factor `" + name + "` needs at least 2 classes, got " + classes);
    }
  }
}
