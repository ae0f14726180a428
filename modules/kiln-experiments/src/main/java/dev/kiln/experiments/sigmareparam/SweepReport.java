package dev.kiln.experiments.sigmareparam;

import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.viz.LinePlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The σReparam sweep's table ({@code summary.md}) and PNG plots. */
final class SweepReport {

  /** A learning rate is "near best" when its held-out loss is within this fraction of the variant's best. */
  static final double NEAR_BEST = 0.10;

  private SweepReport() {}

  static void write(Path dir, List<SweepRun> runs, List<SigmaReparamLrSweep.Variant> variants, double[] lrs,
      double unigramBpc) throws IOException {
    AtomicFiles.write(dir.resolve("summary.md"), summary(runs, variants, unigramBpc).getBytes(StandardCharsets.UTF_8));
    finalLossPlot(dir, runs, variants, lrs, unigramBpc);
    for (SigmaReparamLrSweep.Variant v : variants) {
      List<SweepRun> mine = SweepRun.of(runs, v.id());
      if (mine.isEmpty()) {
        continue;
      }
      List<LinePlot.Series> ent = new ArrayList<>();
      List<LinePlot.Series> loss = new ArrayList<>();
      for (SweepRun r : mine) {
        if (r.seed() != mine.get(0).seed() || r.steps().length == 0) {
          continue;
        }
        ent.add(new LinePlot.Series(lrLabel(r.lr()), r.steps(), r.minOverLayers()));
        loss.add(new LinePlot.Series(lrLabel(r.lr()), r.steps(), r.loss()));
      }
      if (!ent.isEmpty()) {
        LinePlot.titled(v.label() + ": lowest layer's attention entropy / log T")
            .withLabels("step", "min over layers of Ent / log T").write(dir.resolve("entropy-" + v.id() + ".png"), ent);
        LinePlot.titled(v.label() + ": training loss").withLabels("step", "loss (nats)")
            .write(dir.resolve("loss-" + v.id() + ".png"), loss);
      }
    }
    for (double lr : lrs) {
      List<LinePlot.Series> series = new ArrayList<>();
      for (SigmaReparamLrSweep.Variant v : variants) {
        for (SweepRun r : SweepRun.of(runs, v.id())) {
          if (r.lr() == lr && r.seed() == runs.get(0).seed() && r.steps().length > 0) {
            series.add(new LinePlot.Series(v.label(), r.steps(), r.minOverLayers()));
          }
        }
      }
      if (!series.isEmpty()) {
        LinePlot.titled("Attention entropy at lr " + lrLabel(lr) + " (lowest layer)")
            .withLabels("step", "min over layers of Ent / log T")
            .write(dir.resolve("entropy-lr" + lrLabel(lr) + ".png"), series);
      }
    }
  }

  /** Held-out bits per character against learning rate; a diverged run leaves a gap. */
  private static void finalLossPlot(Path dir, List<SweepRun> runs, List<SigmaReparamLrSweep.Variant> variants,
      double[] lrs, double unigramBpc) throws IOException {
    List<LinePlot.Series> series = new ArrayList<>();
    for (SigmaReparamLrSweep.Variant v : variants) {
      double[] y = new double[lrs.length];
      for (int i = 0; i < lrs.length; i++) {
        double sum = 0;
        int n = 0;
        for (SweepRun r : SweepRun.of(runs, v.id())) {
          if (r.lr() == lrs[i]) {
            sum += r.heldOutBpc();
            n++;
          }
        }
        y[i] = n == 0 ? Double.NaN : sum / n;
      }
      series.add(new LinePlot.Series(v.label(), lrs.clone(), y));
    }
    // The reference line runs on to lr 1 so the legend (top right) sits over it rather than over data.
    series.add(new LinePlot.Series("no context", new double[] {lrs[0], 1.0},
        new double[] {unigramBpc, unigramBpc}));
    LinePlot.titled("Held-out loss after training vs learning rate (Adam, no warm-up)")
        .withLabels("learning rate", "held-out bits per character").withLogX(true).withSize(1000, 520)
        .write(dir.resolve("final-loss-vs-lr.png"), series);
  }

  static String summary(List<SweepRun> runs, List<SigmaReparamLrSweep.Variant> variants, double unigramBpc) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "No-context baseline (held-out text under training character frequencies): %.3f bits/char.%n%n", unigramBpc));
    sb.append("| variant | lr | seed | diverged | steps | final train loss (nats) | held-out bits/char"
        + " | min entropy / log T | training seconds |\n|---|---|---|---|---|---|---|---|---|\n");
    for (SigmaReparamLrSweep.Variant v : variants) {
      for (SweepRun r : SweepRun.of(runs, v.id())) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %d | %.4f | %.3f | %.3f | %.0f |%n", v.label(),
            lrLabel(r.lr()), r.seed(), r.diverged() ? "**yes**" : "no", r.stepsRun(), r.finalLoss(), r.heldOutBpc(),
            // log(A + ε) makes one-hot rows −1e−6 nats rather than 0; show that as 0.
            Math.max(0, r.minEntropy()), r.seconds()));
      }
    }
    sb.append(String.format(Locale.ROOT, "%n| variant | diverged runs | stuck runs (held-out within %.2f bits of the"
        + " no-context baseline) | best lr | best held-out bits/char | lrs within %.0f%% of the best |%n"
        + "|---|---|---|---|---|---|%n", SweepRun.STUCK_MARGIN_BITS, 100 * NEAR_BEST));
    for (SigmaReparamLrSweep.Variant v : variants) {
      List<SweepRun> mine = SweepRun.of(runs, v.id());
      long diverged = mine.stream().filter(SweepRun::diverged).count();
      long stuck = mine.stream().filter(r -> r.stuck(unigramBpc)).count();
      SweepRun best = mine.stream().filter(r -> !r.diverged())
          .min(java.util.Comparator.comparingDouble(SweepRun::heldOutBpc)).orElse(null);
      List<String> near = new ArrayList<>();
      for (SweepRun r : mine) {
        if (best != null && !r.diverged() && r.heldOutBpc() <= best.heldOutBpc() * (1 + NEAR_BEST)) {
          near.add(lrLabel(r.lr()));
        }
      }
      sb.append(String.format(Locale.ROOT, "| %s | %d / %d | %d / %d | %s | %s | %s |%n", v.label(), diverged,
          mine.size(), stuck, mine.size(), best == null ? "none" : lrLabel(best.lr()),
          best == null ? "-" : String.format(Locale.ROOT, "%.3f", best.heldOutBpc()), String.join(", ", near)));
    }
    return sb.toString();
  }

  static String lrLabel(double lr) {
    return String.format(Locale.ROOT, "%.0e", lr).replace("e-0", "e-");
  }
}
