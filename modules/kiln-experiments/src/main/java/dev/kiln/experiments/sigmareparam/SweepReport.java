package dev.kiln.experiments.sigmareparam;

import dev.kiln.experiments.sigmareparam.SigmaReparamLrSweep.Arm;
import dev.kiln.experiments.sigmareparam.SigmaReparamLrSweep.Variant;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.viz.LinePlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The σReparam sweep's tables ({@code summary.md}) and PNG plots, per arm. */
final class SweepReport {

  /** A learning rate is "near best" when its seed-mean measure is within this fraction of the variant's best. */
  static final double NEAR_BEST = 0.10;

  private SweepReport() {}

  static void write(Path dir, List<SweepRun> runs, List<Variant> variants, List<Arm> arms, double unigramBpc)
      throws IOException {
    AtomicFiles.write(dir.resolve("summary.md"), summary(runs, variants, arms, unigramBpc)
        .getBytes(StandardCharsets.UTF_8));
    for (Arm arm : arms) {
      double[] lrs = lrsRun(runs, arm);
      if (lrs.length == 0) {
        continue;
      }
      finalMeasurePlot(dir, runs, variants, arm, lrs, unigramBpc);
      for (Variant v : variants) {
        List<SweepRun> mine = SweepRun.of(runs, arm.id(), v.id());
        List<LinePlot.Series> ent = new ArrayList<>();
        List<LinePlot.Series> loss = new ArrayList<>();
        for (SweepRun r : mine) {
          if (r.seed() != mine.get(0).seed() || r.steps().length == 0) {
            continue;
          }
          if (Double.isFinite(r.minEntropy())) {
            ent.add(new LinePlot.Series(lrLabel(r.lr()), r.steps(), r.minOverLayers()));
          }
          loss.add(new LinePlot.Series(lrLabel(r.lr()), r.steps(), r.loss()));
        }
        String name = arm.id() + "-" + v.id() + ".png";
        if (!ent.isEmpty()) {
          LinePlot.titled(arm.label() + ", " + v.label() + ": lowest layer's attention entropy / log T")
              .withLabels("step", "min over layers of Ent / log T").write(dir.resolve("entropy-" + name), ent);
        }
        if (!loss.isEmpty()) {
          LinePlot.titled(arm.label() + ", " + v.label() + ": training loss").withLabels("step", "loss (nats)")
              .write(dir.resolve("loss-" + name), loss);
        }
      }
      for (double lr : lrs) {
        List<LinePlot.Series> series = new ArrayList<>();
        for (Variant v : variants) {
          for (SweepRun r : SweepRun.of(runs, arm.id(), v.id())) {
            if (r.lr() == lr && r.seed() == runs.get(0).seed() && r.steps().length > 0
                && Double.isFinite(r.minEntropy())) {
              series.add(new LinePlot.Series(v.label(), r.steps(), r.minOverLayers()));
            }
          }
        }
        if (!series.isEmpty()) {
          LinePlot.titled(arm.label() + ": attention entropy at lr " + lrLabel(lr) + " (lowest layer)")
              .withLabels("step", "min over layers of Ent / log T")
              .write(dir.resolve("entropy-" + arm.id() + "-lr" + lrLabel(lr) + ".png"), series);
        }
      }
    }
  }

  /** The learning rates of {@code arm} that have runs, ascending. */
  private static double[] lrsRun(List<SweepRun> runs, Arm arm) {
    return runs.stream().filter(r -> r.arm().equals(arm.id())).mapToDouble(SweepRun::lr).distinct().sorted()
        .toArray();
  }

  /** Mean and standard deviation over seeds of the final measure at one learning rate; NaN if any diverged. */
  static double[] seedStats(List<SweepRun> runs, double lr) {
    List<SweepRun> at = runs.stream().filter(r -> r.lr() == lr).toList();
    if (at.isEmpty() || at.stream().anyMatch(SweepRun::diverged)) {
      return new double[] {Double.NaN, Double.NaN, at.size()};
    }
    double mean = at.stream().mapToDouble(SweepRun::heldOut).average().orElse(Double.NaN);
    double var = at.stream().mapToDouble(r -> (r.heldOut() - mean) * (r.heldOut() - mean)).sum()
        / Math.max(1, at.size() - 1);
    return new double[] {mean, Math.sqrt(var), at.size()};
  }

  /** The arm's final measure (mean over seeds) against learning rate; a diverged run leaves a gap. */
  private static void finalMeasurePlot(Path dir, List<SweepRun> runs, List<Variant> variants, Arm arm, double[] lrs,
      double unigramBpc) throws IOException {
    List<LinePlot.Series> series = new ArrayList<>();
    for (Variant v : variants) {
      double[] y = new double[lrs.length];
      for (int i = 0; i < lrs.length; i++) {
        y[i] = seedStats(SweepRun.of(runs, arm.id(), v.id()), lrs[i])[0];
      }
      series.add(new LinePlot.Series(v.label(), lrs.clone(), y));
    }
    double nothing = arm.vision() ? SweepRun.CHANCE_ERROR : unigramBpc;
    // The reference line runs past the last lr so the legend (top right) sits over it rather than over data.
    series.add(new LinePlot.Series(arm.vision() ? "chance" : "no context", new double[] {lrs[0], 3 * lrs[lrs.length - 1]},
        new double[] {nothing, nothing}));
    LinePlot.titled(arm.label() + ": " + arm.measure() + " after training vs learning rate (no warm-up, mean of seeds)")
        .withLabels("learning rate", arm.measure()).withLogX(true).withSize(1000, 520)
        .write(dir.resolve("final-vs-lr-" + arm.id() + ".png"), series);
  }

  static String summary(List<SweepRun> runs, List<Variant> variants, List<Arm> arms, double unigramBpc) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "No-context baseline of the LM (held-out text under training character"
        + " frequencies): %.3f bits/char. Chance test error of the ViT: %.2f.%n", unigramBpc, SweepRun.CHANCE_ERROR));
    for (Arm arm : arms) {
      double[] lrs = lrsRun(runs, arm);
      if (lrs.length == 0) {
        continue;
      }
      sb.append("\n## ").append(arm.label()).append("\n\n| variant | lr | seeds | diverged | ").append(arm.measure())
          .append(" (mean ± sd over seeds) | min entropy / log T (lowest seed) | final train loss (seed mean) |\n")
          .append("|---|---|---|---|---|---|---|\n");
      for (Variant v : variants) {
        List<SweepRun> mine = SweepRun.of(runs, arm.id(), v.id());
        for (double lr : lrs) {
          List<SweepRun> at = mine.stream().filter(r -> r.lr() == lr).toList();
          if (at.isEmpty()) {
            continue;
          }
          double[] st = seedStats(mine, lr);
          long diverged = at.stream().filter(SweepRun::diverged).count();
          // log(A + ε) makes one-hot rows −1e−6 nats rather than 0; show that as 0.
          double minEnt = at.stream().mapToDouble(SweepRun::minEntropy).filter(Double::isFinite).min().orElse(Double.NaN);
          double loss = at.stream().filter(r -> !r.diverged()).mapToDouble(SweepRun::finalLoss).average()
              .orElse(Double.NaN);
          sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %.4f |%n", v.label(), lrLabel(lr),
              at.size(), diverged, Double.isNaN(st[0]) ? "-" : String.format(Locale.ROOT, "%.3f ± %.3f", st[0], st[1]),
              Double.isNaN(minEnt) ? "-" : String.format(Locale.ROOT, "%.3f", Math.max(0, minEnt)), loss));
        }
      }
      sb.append(String.format(Locale.ROOT, "%n| variant | diverged runs | stuck runs | best lr | best %s (seed mean)"
          + " | lrs within %.0f%% of the best |%n|---|---|---|---|---|---|%n", arm.measure(), 100 * NEAR_BEST));
      for (Variant v : variants) {
        List<SweepRun> mine = SweepRun.of(runs, arm.id(), v.id());
        if (mine.isEmpty()) {
          continue;
        }
        long diverged = mine.stream().filter(SweepRun::diverged).count();
        long stuck = mine.stream().filter(r -> r.stuck(unigramBpc)).count();
        Double best = null;
        double bestLr = Double.NaN;
        for (double lr : lrs) {
          double m = seedStats(mine, lr)[0];
          if (Double.isFinite(m) && (best == null || m < best)) {
            best = m;
            bestLr = lr;
          }
        }
        List<String> near = new ArrayList<>();
        for (double lr : lrs) {
          double m = seedStats(mine, lr)[0];
          if (best != null && Double.isFinite(m) && m <= best * (1 + NEAR_BEST)) {
            near.add(lrLabel(lr));
          }
        }
        sb.append(String.format(Locale.ROOT, "| %s | %d / %d | %d / %d | %s | %s | %s |%n", v.label(), diverged,
            mine.size(), stuck, mine.size(), best == null ? "none" : lrLabel(bestLr),
            best == null ? "-" : String.format(Locale.ROOT, "%.3f", best), String.join(", ", near)));
      }
    }
    return sb.toString();
  }

  static String lrLabel(double lr) {
    return String.format(Locale.ROOT, "%.0e", lr).replace("e-0", "e-").replace("e+00", "");
  }
}
