package dev.kiln.experiments.agm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.LinePlot;
import dev.kiln.viz.ScatterPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tables, JSON and plots of one {@link AgmComparison}. */
final class ComparisonReport {

  private final AgmComparison.Result r;
  private final ComparisonSettings s;

  ComparisonReport(AgmComparison.Result r) {
    this.r = r;
    this.s = r.settings();
  }

  static String label(String method) {
    if (method.startsWith(AgmComparison.IDEAL)) {
      return "ideal model: " + label(method.substring(AgmComparison.IDEAL.length()));
    }
    return switch (method) {
      case AgmComparison.AGM_HOP -> "AGM + gDDIM + hop";
      case AgmComparison.AGM_FULL -> "AGM + gDDIM, t_hop 0.999";
      case AgmComparison.DDIM -> "DDIM (eps)";
      case AgmComparison.DPM -> "DPM-Solver++ 2M (eps)";
      case AgmComparison.DATA -> "held-out data (metric floor)";
      case "agm-sscs" -> "AGM-SDE + SSCS";
      case "agm-em" -> "AGM-SDE + Euler-Maruyama";
      default -> method;
    };
  }

  private static String sourceName(String prefix) {
    return prefix.isEmpty() ? "trained" : "ideal";
  }

  ObjectNode json() {
    ObjectNode n = Configs.mapper().createObjectNode();
    n.set("settings", Configs.toTree(s));
    n.set("training", r.training());
    ObjectNode sweep = n.putObject("hop_sweep");
    r.hopSweep().forEach((src, bySteps) -> {
      ObjectNode o = sweep.putObject(sourceName(src));
      bySteps.forEach((nfe, byHop) -> {
        ObjectNode h = o.putObject(Integer.toString(nfe));
        byHop.forEach((hop, m) -> h.put(Double.toString(hop), m));
      });
    });
    ObjectNode best = n.putObject("best_hop");
    r.bestHop().forEach((src, byNfe) -> {
      ObjectNode o = best.putObject(sourceName(src));
      byNfe.forEach((nfe, hop) -> o.put(Integer.toString(nfe), hop));
    });
    ObjectNode rows = n.putObject("rows");
    r.rows().forEach((method, cells) -> {
      ArrayNode a = rows.putArray(method);
      cells.forEach(c -> a.add(c.toJson()));
    });
    curveJson(n.putArray("early_agm"), r.agmEarly());
    curveJson(n.putArray("early_ddim"), r.ddimEarly());
    return n;
  }

  private static void curveJson(ArrayNode a, List<double[]> curve) {
    for (double[] p : curve) {
      a.addArray().add(p[0]).add(p[1]);
    }
  }

  /** The markdown tables. */
  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("### ").append(s.data()).append("\n\nTraining (same MLP ").append(s.depth()).append('×')
        .append(s.hidden()).append(", ").append(s.trainSteps()).append(" steps of ").append(s.batch()).append("):\n\n")
        .append("| model | final loss | steps/s | seconds |\n|---|---|---|---|\n");
    r.training().properties().forEach(e -> md.append(String.format(Locale.ROOT, "| %s | %.4f | %.1f | %.0f |%n",
        e.getKey(), e.getValue().get("final_loss").asDouble(), e.getValue().get("steps_per_second").asDouble(),
        e.getValue().get("seconds").asDouble())));
    List<String> metrics = s.images() ? List.of("fd", "precision", "recall") : List.of("swd", "mmd2");
    for (boolean ideal : r.hopSweep().size() > 1 ? List.of(false, true) : List.of(false)) {
      Map<String, List<Cell>> rows = rows(ideal);
      for (String metric : metrics) {
        md.append('\n').append(ideal ? "Ideal models, " : "Trained models, ").append(metric).append(" (mean ± std over ")
            .append(s.seeds()).append(" seeds, ").append(s.samples()).append(" samples):\n\n");
        md.append(table(rows, metric));
      }
    }
    r.bestHop().forEach((src, byNfe) -> {
      md.append("\nBest t_hop per NFE, ").append(sourceName(src)).append(" model (chosen on a separate seed by ")
          .append(s.metric()).append("):\n\n| NFE |");
      byNfe.keySet().forEach(nfe -> md.append(' ').append(nfe).append(" |"));
      md.append("\n|---|").append("---|".repeat(byNfe.size())).append("\n| t_hop |");
      byNfe.values().forEach(h -> md.append(' ').append(h).append(" |"));
      md.append("\n\n").append(s.metric()).append(" of AGM + gDDIM against t_hop, ").append(sourceName(src))
          .append(" model (selection seed):\n\n| NFE |");
      s.hops().forEach(h -> md.append(' ').append(h).append(" |"));
      md.append("\n|---|").append("---|".repeat(s.hops().size())).append('\n');
      r.hopSweep().get(src).forEach((nfe, byHop) -> {
        md.append("| ").append(nfe).append(" |");
        byHop.values().forEach(v -> md.append(String.format(Locale.ROOT, " %.4g |", v)));
        md.append('\n');
      });
    });
    return md.toString();
  }

  /** The rows of the trained or the ideal models, with the data floor. */
  private Map<String, List<Cell>> rows(boolean ideal) {
    Map<String, List<Cell>> m = new java.util.LinkedHashMap<>();
    r.rows().forEach((method, cells) -> {
      if (method.equals(AgmComparison.DATA) || method.startsWith(AgmComparison.IDEAL) == ideal) {
        m.put(method, cells);
      }
    });
    return m;
  }

  private static String table(Map<String, List<Cell>> rows, String metric) {
    StringBuilder t = new StringBuilder();
    List<Integer> nfes = new ArrayList<>(new java.util.TreeSet<>(rows.values().stream().flatMap(List::stream)
        .map(Cell::nfe).toList()));
    t.append("| sampler |");
    nfes.forEach(n -> t.append(" NFE ").append(n).append(" |"));
    t.append("\n|---|").append("---|".repeat(nfes.size())).append('\n');
    rows.forEach((method, cells) -> {
      t.append("| ").append(label(method)).append(" |");
      Iterator<Cell> it = cells.iterator();
      Cell c = it.hasNext() ? it.next() : null;
      for (int nfe : nfes) {
        if (c != null && c.nfe() == nfe) {
          t.append(String.format(Locale.ROOT, " %.4g ± %.2g |", c.mean(metric), c.std(metric)));
          c = it.hasNext() ? it.next() : null;
        } else {
          t.append(" – |");
        }
      }
      t.append('\n');
    });
    return t.toString();
  }

  /** quality-vs-nfe.png, hop-sweep.png, early-prediction.png and sample figures in {@code dir}. */
  void plots(Path dir) throws IOException {
    String what = s.images() ? "Frechet distance (digit classifier)" : "sliced Wasserstein distance";
    for (boolean ideal : r.hopSweep().size() > 1 ? List.of(false, true) : List.of(false)) {
      String prefix = ideal ? "ideal-" : "";
      String models = ideal ? "ideal models" : "trained models";
      List<LinePlot.Series> quality = new ArrayList<>();
      rows(ideal).forEach((method, cells) -> quality.add(new LinePlot.Series(label(method),
          cells.stream().mapToDouble(Cell::nfe).toArray(), cells.stream().mapToDouble(c -> c.mean(s.metric()))
              .toArray())));
      LinePlot.titled(s.data() + ", " + models + ": " + what + " vs NFE (" + s.seeds() + " seeds)")
          .withLabels("model evaluations (NFE)", what).withLogX(true).withLogY(true)
          .write(dir.resolve(prefix + "quality-vs-nfe.png"), quality);
      List<LinePlot.Series> sweep = new ArrayList<>();
      r.hopSweep().get(ideal ? AgmComparison.IDEAL : "").forEach((nfe, byHop) -> sweep.add(new LinePlot.Series(
          "NFE " + nfe, byHop.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
          byHop.values().stream().mapToDouble(Double::doubleValue).toArray())));
      LinePlot.titled(s.data() + ", " + models + ": AGM + gDDIM, " + what + " vs t_hop").withLabels("t_hop", what)
          .withLogY(true).write(dir.resolve(prefix + "hop-sweep.png"), sweep);
    }
    LinePlot.titled(s.data() + ": early prediction along one trajectory (NFE " + s.earlyNfe() + ")")
        .withLabels("progress: AGM time t, or 1 - tau/T for DDIM", what).withLogY(true)
        .write(dir.resolve("early-prediction.png"), curve("AGM x1-hat(t)", r.agmEarly()),
            curve("DDIM x0-hat(tau)", r.ddimEarly()));
    if (s.images()) {
      digitFigures(dir);
    } else {
      toyFigures(dir);
    }
  }

  private static LinePlot.Series curve(String name, List<double[]> c) {
    return new LinePlot.Series(name, c.stream().mapToDouble(p -> p[0]).toArray(),
        c.stream().mapToDouble(p -> p[1]).toArray());
  }

  private void toyFigures(Path dir) throws IOException {
    for (String prefix : List.of("", AgmComparison.IDEAL)) {
      for (int nfe : List.of(5, 10)) {
        List<ScatterPlot.Panel> panels = new ArrayList<>();
        panels.add(ScatterPlot.Panel.of("held-out data", r.reference()));
        for (String m : List.of(AgmComparison.AGM_HOP, AgmComparison.DDIM, AgmComparison.DPM)) {
          Tensor x = r.shown().get(prefix + m + "@" + nfe);
          if (x != null) {
            panels.add(ScatterPlot.Panel.of(label(m) + ", NFE " + nfe, x));
          }
        }
        if (panels.size() > 1) {
          ScatterPlot.defaults().withBounds(ScatterPlot.Bounds.square(3)).write(dir.resolve((prefix.isEmpty() ? ""
              : "ideal-") + "samples-nfe" + nfe + ".png"), panels);
        }
      }
    }
  }

  private void digitFigures(Path dir) throws IOException {
    int per = 16;
    for (int nfe : List.of(5, 10)) {
      List<String> methods = List.of(AgmComparison.AGM_HOP, AgmComparison.DDIM, AgmComparison.DPM);
      if (methods.stream().anyMatch(m -> !r.shown().containsKey(m + "@" + nfe))) {
        continue;
      }
      float[] all = new float[methods.size() * per * 784];
      for (int k = 0; k < methods.size(); k++) {
        System.arraycopy(r.shown().get(methods.get(k) + "@" + nfe).toFloatArray(), 0, all, k * per * 784, per * 784);
      }
      ImageGrid.forRange(-1, 1).withColumns(per).withScale(2)
          .write(clamp(Tensor.of(all, (long) methods.size() * per, 1, 28, 28)), dir.resolve("samples-nfe" + nfe + ".png"));
    }
    if (r.earlyStrips() != null) {
      ImageGrid.forRange(-1, 1).withColumns(8).withScale(2).write(clamp(r.earlyStrips()),
          dir.resolve("early-prediction-images.png"));
    }
  }

  private static Tensor clamp(Tensor t) {
    Tensor c = t.copy();
    for (int i = 0; i < c.size(); i++) {
      c.set(i, Math.max(-1, Math.min(1, c.get(i))));
    }
    return c;
  }
}
