package dev.kiln.experiments.mast;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.experiments.hyperut.Statistics;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.LinePlot;
import dev.kiln.viz.ScatterPlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The MAST study's tables, plots and raw numbers. */
record MastReport(MastProtocol protocol, int seeds, List<RunScores> runs, Map<String, double[][]> scatter,
    Map<String, Double> throughput) {

  static final String ORACLE = "oracle (best leave-one-out per task)";

  void write(Path out) throws IOException {
    StringBuilder md = new StringBuilder("# MAST vs VICReg: linear probes per task\n\n");
    md.append(String.format(Locale.ROOT, "%d seeds; %d steps of %d pairs per run, Adam lr %s; pictures %d px; "
        + "probes fit on %d training pictures (%d full-batch iterations), scored on the test part.%n%n",
        seeds, protocol.steps(), protocol.batch(), protocol.lr(), protocol.side(), protocol.probeTrain(),
        protocol.probeIterations()));
    for (String dataset : datasets()) {
      for (boolean embedding : new boolean[] {false, true}) {
        md.append(table(out, dataset, embedding));
      }
      for (String method : List.of("mast", "mast-no-uncertainty")) {
        md.append(masks(out, dataset, method));
      }
      for (String method : methods(dataset)) {
        md.append(uncertainty(out, dataset, method));
      }
      md.append(training(dataset));
    }
    md.append("\n## Augmentation throughput\n\n");
    throughput.forEach((k, v) -> md.append(String.format(Locale.ROOT, "- %s: %.0f%n", k, v)));
    AtomicFiles.write(out.resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    ObjectNode root = Configs.mapper().createObjectNode();
    root.put("experiment", "mast");
    root.putPOJO("protocol", protocol);
    root.putPOJO("throughput", throughput);
    root.putPOJO("runs", runs);
    AtomicFiles.write(out.resolve("results.json"),
        Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private Set<String> datasets() {
    Set<String> d = new LinkedHashSet<>();
    runs.forEach(r -> d.add(r.dataset()));
    return d;
  }

  private List<String> methods(String dataset) {
    Set<String> m = new LinkedHashSet<>();
    runs.stream().filter(r -> r.dataset().equals(dataset)).forEach(r -> m.add(r.method()));
    return new ArrayList<>(m);
  }

  private List<RunScores> of(String dataset, String method) {
    return runs.stream().filter(r -> r.dataset().equals(dataset) && r.method().equals(method)).toList();
  }

  private static double[] values(List<RunScores> rs, Function<RunScores, Double> f) {
    return rs.stream().mapToDouble(f::apply).toArray();
  }

  private String table(Path out, String dataset, boolean embedding) throws IOException {
    String kind = embedding ? "embedding z" : "backbone f(x)";
    List<String> tasks = new ArrayList<>(runs.stream().filter(r -> r.dataset().equals(dataset)).findFirst()
        .orElseThrow().backbone().keySet());
    StringBuilder sb = new StringBuilder("\n## " + dataset + ": probe accuracy (%) on the " + kind + "\n\n| method |");
    tasks.forEach(t -> sb.append(' ').append(t).append(" |"));
    sb.append(" mean |\n|---|").append("---|".repeat(tasks.size() + 1)).append('\n');
    List<LinePlot.Series> series = new ArrayList<>();
    double[] oracle = new double[tasks.size()];
    java.util.Arrays.fill(oracle, Double.NEGATIVE_INFINITY);
    for (String method : methods(dataset)) {
      List<RunScores> rs = of(dataset, method);
      sb.append("| ").append(method).append(" |");
      double[] means = new double[tasks.size() + 1];
      for (int t = 0; t < tasks.size(); t++) {
        String task = tasks.get(t);
        double[] v = values(rs, r -> (embedding ? r.embedding() : r.backbone()).get(task));
        means[t] = Statistics.mean(v);
        sb.append(cell(v));
        if (method.startsWith("vicreg")) {
          oracle[t] = Math.max(oracle[t], means[t]);
        }
      }
      double[] meanOverTasks = values(rs, r -> RunScores.mean(embedding ? r.embedding() : r.backbone()));
      means[tasks.size()] = Statistics.mean(meanOverTasks);
      sb.append(cell(meanOverTasks)).append('\n');
      if (!method.startsWith("vicreg-no-")) {
        series.add(new LinePlot.Series(method, xs(tasks.size() + 1), scaled(means)));
      }
    }
    if (methods(dataset).stream().anyMatch(m -> m.startsWith("vicreg-no-"))) {
      sb.append("| ").append(ORACLE).append(" |");
      double sum = 0;
      for (double o : oracle) {
        sb.append(String.format(Locale.ROOT, " %.1f |", 100 * o));
        sum += o;
      }
      sb.append(String.format(Locale.ROOT, " %.1f |%n", 100 * sum / oracle.length));
      double[] o = java.util.Arrays.copyOf(oracle, oracle.length + 1);
      o[oracle.length] = sum / oracle.length;
      series.add(new LinePlot.Series("oracle", xs(o.length), scaled(o)));
    }
    String png = "probe-" + dataset + "-" + (embedding ? "embedding" : "backbone") + ".png";
    new LinePlot(900, 500, dataset + ", " + kind + ": probe accuracy per task", "task: " + String.join(", ", tasks)
        + ", then the mean", "accuracy (%)", false, false).write(out.resolve(png), series);
    return sb.append("\n![").append(png).append("](").append(png).append(")\n").toString();
  }

  private static String cell(double[] v) {
    return String.format(Locale.ROOT, " %.1f ± %.1f |", 100 * Statistics.mean(v), 100 * Statistics.std(v));
  }

  private static double[] xs(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  private static double[] scaled(double[] v) {
    double[] s = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      s[i] = 100 * v[i];
    }
    return s;
  }

  /** Sparsity per mask and the K × K soft-IoU overlap, averaged over seeds, for the learned masks. */
  private String masks(Path out, String dataset, String method) throws IOException {
    List<RunScores> rs = of(dataset, method);
    if (rs.isEmpty() || rs.get(0).masks() == null) {
      return "";
    }
    int k = rs.get(0).masks().length;
    int d = rs.get(0).masks()[0].length;
    double[][] overlap = new double[k][k];
    double[] meanMask = new double[k];
    double[] above = new double[k];
    for (RunScores r : rs) {
      double[][] m = r.masks();
      for (int a = 0; a < k; a++) {
        for (int j = 0; j < d; j++) {
          meanMask[a] += m[a][j] / (d * rs.size());
          above[a] += (m[a][j] > 0.5 ? 1.0 : 0.0) / (d * rs.size());
        }
        for (int b = 0; b < k; b++) {
          double mn = 0;
          double mx = 0;
          for (int j = 0; j < d; j++) {
            mn += Math.min(m[a][j], m[b][j]);
            mx += Math.max(m[a][j], m[b][j]);
          }
          overlap[a][b] += mn / mx / rs.size();
        }
      }
    }
    List<String> names = uncertaintyNames(dataset, k);
    StringBuilder sb = new StringBuilder("\n### " + dataset + ": learned masks of " + method + " (mean over seeds)\n\n"
        + "| mask | mean m | share of dims with m > 0.5 |");
    for (String n : names) {
      sb.append(" IoU with ").append(n).append(" |");
    }
    sb.append("\n|---|---|---|").append("---|".repeat(k)).append('\n');
    float[] pic = new float[k * k];
    for (int a = 0; a < k; a++) {
      sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.2f |", names.get(a), meanMask[a], above[a]));
      for (int b = 0; b < k; b++) {
        sb.append(String.format(Locale.ROOT, " %.3f |", overlap[a][b]));
        pic[a * k + b] = (float) overlap[a][b];
      }
      sb.append('\n');
    }
    String png = "mask-overlap-" + dataset + "-" + method + ".png";
    double lo = java.util.Arrays.stream(overlap).flatMapToDouble(java.util.Arrays::stream).min().orElse(0);
    new ImageGrid(Math.min(lo, 0.99), 1, 1, 2, 48).write(Tensor.of(pic, 1, 1, k, k), out.resolve(png));
    float[] seed0 = new float[k * d];
    for (int a = 0; a < k; a++) {
      for (int j = 0; j < d; j++) {
        seed0[a * d + j] = (float) rs.get(0).masks()[a][j];
      }
    }
    String masksPng = "masks-" + dataset + "-" + method + ".png";
    new ImageGrid(0, 1, 1, 2, 6).write(Tensor.of(seed0, 1, 1, k, d), out.resolve(masksPng));
    return sb.append("\nOverlap (rows and columns in the order above; black = the smallest overlap shown, white = 1): ![")
        .append(png).append("](").append(png).append(")\n\nMasks of seed 0 (one row per augmentation, one column per"
        + " embedding dimension, black 0 to white 1): ![").append(masksPng).append("](").append(masksPng)
        .append(")\n").toString();
  }

  private List<String> uncertaintyNames(String dataset, int k) {
    for (RunScores r : runs) {
      if (r.dataset().equals(dataset) && r.uncertaintyRho() != null) {
        return new ArrayList<>(r.uncertaintyRho().keySet());
      }
    }
    List<String> n = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      n.add("aug " + i);
    }
    return n;
  }

  private String uncertainty(Path out, String dataset, String method) throws IOException {
    List<RunScores> rs = of(dataset, method).stream().filter(r -> r.uncertaintyRho() != null).toList();
    if (rs.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("\n### " + dataset + ", " + method
        + ": predicted log σ² against augmentation difference\n\n"
        + "| augmentation | Spearman ρ (mean ± sd over seeds) | per seed |\n|---|---|---|\n");
    for (String stage : rs.get(0).uncertaintyRho().keySet()) {
      double[] v = values(rs, r -> r.uncertaintyRho().get(stage));
      StringBuilder per = new StringBuilder();
      for (double x : v) {
        per.append(String.format(Locale.ROOT, "%s%.2f", per.length() == 0 ? "" : ", ", x));
      }
      sb.append(String.format(Locale.ROOT, "| %s | %.2f ± %.2f | %s |%n", stage, Statistics.mean(v),
          Statistics.std(v), per));
    }
    List<ScatterPlot.Panel> panels = new ArrayList<>();
    String prefix = dataset + "|" + method + "|";
    scatter.forEach((name, pts) -> {
      if (name.startsWith(prefix)) {
        panels.add(new ScatterPlot.Panel(name.substring(prefix.length()) + ": log σ² vs difference", pts));
      }
    });
    if (!panels.isEmpty()) {
      String png = "uncertainty-" + dataset + "-" + method + ".png";
      ScatterPlot.defaults().withPanelSize(320).write(out.resolve(png), panels);
      sb.append("\n![").append(png).append("](").append(png).append(")\n");
    }
    return sb.toString();
  }

  private String training(String dataset) {
    StringBuilder sb = new StringBuilder("\n### " + dataset + ": training\n\n"
        + "| method | train s (mean) | share of time drawing views | final loss (mean) |\n|---|---|---|---|\n");
    for (String method : methods(dataset)) {
      if (method.equals("random-init")) {
        continue;
      }
      List<RunScores> rs = of(dataset, method);
      sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.3f |%n", method,
          Statistics.mean(values(rs, RunScores::seconds)), Statistics.mean(values(rs, RunScores::augmentShare)),
          Statistics.mean(values(rs, RunScores::finalLoss))));
    }
    return sb.toString();
  }
}
