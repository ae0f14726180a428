package dev.kiln.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Console progress for long work: {@code step 1200/5000  loss 0.2534  812 it/s  elapsed 0:02  left 0:05}. */
public final class Progress {

  private final String label;
  private final long total;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final long startStep;

  public Progress(String label, long startStep, long total, PrintStream out) {
    this.label = label;
    this.startStep = startStep;
    this.total = total;
    this.out = out;
  }

  /** Steps per second since this progress started. */
  public double rate(long step) {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    return secs > 0 ? (step - startStep) / secs : 0;
  }

  /** Prints one progress line. */
  public void report(long step, Map<String, Double> values) {
    double rate = rate(step);
    long left = rate > 0 ? (long) ((total - step) / rate) : 0;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s step %d/%d", label, step, total));
    values.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4g", k, v)));
    sb.append(String.format(Locale.ROOT, "  %.1f it/s  elapsed %s  left %s", rate,
        clock(Duration.ofNanos(System.nanoTime() - startNanos).toSeconds()), clock(left)));
    out.println(sb);
  }

  /** {@code h:mm:ss} or {@code m:ss}. */
  public static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
