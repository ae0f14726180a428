package dev.kiln.ssl.augment;

/** HSV to RGB, for hue rotation here and for colouring the procedural image sets. */
public final class Hues {

  private Hues() {}

  /**
   * The RGB colour of hue {@code hue} (turns, any real: taken modulo 1), saturation and value in [0, 1].
   */
  public static double[] rgb(double hue, double saturation, double value) {
    double h = (hue - Math.floor(hue)) * 6;
    int sector = (int) Math.floor(h) % 6;
    double f = h - Math.floor(h);
    double p = value * (1 - saturation);
    double q = value * (1 - saturation * f);
    double t = value * (1 - saturation * (1 - f));
    return switch (sector) {
      case 0 -> new double[] {value, t, p};
      case 1 -> new double[] {q, value, p};
      case 2 -> new double[] {p, value, t};
      case 3 -> new double[] {p, q, value};
      case 4 -> new double[] {t, p, value};
      default -> new double[] {value, p, q};
    };
  }
}
