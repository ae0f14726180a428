package dev.kiln.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One plot axis: a data interval {@code [min, max]}, linear or base-10 logarithmic, that maps values
 * to fractions of the axis length and chooses "nice" tick values (1, 2, 5 × 10ᵏ) with labels.
 *
 * @param min data value at the start of the axis (positive on a log axis)
 * @param max data value at the end of the axis, {@code > min}
 * @param log whether positions follow log₁₀ of the value
 */
record Axis(double min, double max, boolean log) {

  /** A tick: its value and its label. */
  record Tick(double value, String label) {}

  private static final double MARGIN = 0.05;
  private static final int TARGET_TICKS = 6;

  Axis {
    if (!(max > min) || !Double.isFinite(min) || !Double.isFinite(max) || (log && !(min > 0))) {
      throw new IllegalArgumentException("bad " + (log ? "log " : "") + "axis range [" + min + ", " + max + "]");
    }
  }

  /**
   * An axis covering data from {@code lo} to {@code hi} with 5 % margin on either side (in log space
   * for a log axis); a single value gets a unit-wide (or one-decade) window around it.
   */
  static Axis covering(double lo, double hi, boolean log) {
    double a = log ? Math.log10(lo) : lo;
    double b = log ? Math.log10(hi) : hi;
    double pad = b > a ? MARGIN * (b - a) : Math.max(0.5, 0.1 * Math.abs(a));
    if (log && !(b > a)) {
      pad = 0.5;
    }
    a -= pad;
    b += pad;
    return log ? new Axis(Math.pow(10, a), Math.pow(10, b), true) : new Axis(a, b, false);
  }

  /** Position of {@code v} along the axis: 0 at {@code min}, 1 at {@code max}. */
  double fraction(double v) {
    return log
        ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
        : (v - min) / (max - min);
  }

  /** Ticks inside {@code [min, max]}. */
  List<Tick> ticks() {
    return log ? logTicks() : linearTicks();
  }

  private List<Tick> linearTicks() {
    double step = niceStep((max - min) / (TARGET_TICKS - 1));
    int decimals = Math.max(0, -(int) Math.floor(Math.log10(step) + 1e-9));
    boolean scientific = Math.max(Math.abs(min), Math.abs(max)) >= 1e6 || step < 1e-4;
    List<Tick> ticks = new ArrayList<>();
    long first = (long) Math.ceil(min / step - 1e-9);
    long last = (long) Math.floor(max / step + 1e-9);
    for (long k = first; k <= last; k++) {
      double v = k * step;
      ticks.add(new Tick(v, scientific ? scientific(v) : fixed(v, decimals)));
    }
    return ticks;
  }

  private List<Tick> logTicks() {
    int lo = (int) Math.floor(Math.log10(min));
    int hi = (int) Math.ceil(Math.log10(max));
    int every = Math.max(1, (int) Math.ceil((hi - lo) / 8.0));
    // Under ~2.5 decades, decades alone leave too few ticks.
    double[] mantissas = Math.log10(max / min) <= 2.5 ? new double[] {1, 2, 5} : new double[] {1};
    List<Tick> ticks = new ArrayList<>();
    for (int e = lo; e <= hi; e++) {
      if (Math.floorMod(e, every) != 0) {
        continue;
      }
      for (double m : mantissas) {
        double v = m * Math.pow(10, e);
        if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)) {
          ticks.add(new Tick(v, e >= -3 && e <= 5 ? fixed(v, Math.max(0, -e)) : scientific(v)));
        }
      }
    }
    return ticks;
  }

  /** The 1, 2 or 5 × 10ᵏ nearest to {@code raw} (Heckbert, "Nice numbers for graph labels", 1990). */
  static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / magnitude;
    double m = r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10;
    return m * magnitude;
  }

  private static String fixed(double v, int decimals) {
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
  }

  /** {@code 2.5e-5}-style label with at most three significant digits. */
  private static String scientific(double v) {
    if (v == 0) {
      return "0";
    }
    int e = (int) Math.floor(Math.log10(Math.abs(v)) + 1e-9);
    double m = v / Math.pow(10, e);
    String mantissa = String.format(Locale.ROOT, "%.2f", m).replaceAll("\\.?0+$", "");
    return mantissa + "e" + e;
  }
}
