package dev.kiln.experiments.hyperut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.Configs;
import dev.kiln.transformers.tasks.Cpvr;
import dev.kiln.transformers.tasks.CpvrTask;
import dev.kiln.transformers.tasks.CpvrTaskConfig;
import dev.kiln.transformers.tasks.HopReport;
import dev.kiln.viz.LinePlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Tables ({@code summary.md}) and plots of the C-PVR study. */
final class CpvrReport {

  private CpvrReport() {}

  /** Values of one model across seeds, per hop count. */
  private record Curve(String label, int[] hops, double[][] perSeed) {

    double[] mean() {
      double[] m = new double[hops.length];
      for (int i = 0; i < hops.length; i++) {
        m[i] = Statistics.mean(column(i));
      }
      return m;
    }

    double[] column(int i) {
      return Arrays.stream(perSeed).mapToDouble(r -> r[i]).toArray();
    }

    double[] x() {
      return Arrays.stream(hops).asDoubleStream().toArray();
    }

    LinePlot.Series series() {
      return new LinePlot.Series(label, x(), mean());
    }
  }

  /** Writes {@code summary.md} and the plots from the study's {@code results.json} in {@code dir}. */
  static void write(Path dir, List<HyperUtCpvrExperiment.Model> models) throws IOException {
    JsonNode root = Configs.mapper().readTree(Files.readString(dir.resolve("results.json")));
    List<CpvrRun> runs = new ArrayList<>();
    for (JsonNode r : root.get("runs")) {
      String id = r.get("model").asText();
      String label = models.stream().filter(m -> m.id().equals(id)).map(HyperUtCpvrExperiment.Model::label)
          .findFirst().orElse(id);
      runs.add(new CpvrRun(id, label, r.get("seed").asLong(), r.get("parameters").asLong(),
          r.get("train_seconds").asDouble(), r.get("final_loss").asDouble(), hopReport(r.get("t_max_train")),
          r.has("t_max_test") ? hopReport(r.get("t_max_test")) : null));
    }
    int examples = root.get("test_examples_per_hop").asInt();
    write(dir, runs, (ObjectNode) root.get("serving"), models, shortcut(runs.get(0).trainDepth().hops(), examples),
        examples);
  }

  /** Accuracy of {@link Cpvr#lastNonForwardValue} on the study's test sets. */
  private static Curve shortcut(int[] hops, int examples) {
    CpvrTask task = new CpvrTask(new CpvrTaskConfig(HyperUtCpvrExperiment.LENGTH, null,
        Arrays.stream(hops).boxed().toList(), null, null, examples, null, HyperUtCpvrExperiment.SPREAD_CHAIN_END));
    double[] acc = new double[hops.length];
    for (int i = 0; i < hops.length; i++) {
      List<Cpvr.Example> set = task.testSet(hops[i]);
      acc[i] = set.stream().filter(e -> Cpvr.lastNonForwardValue(e.tokens()) == e.label()).count()
          / (double) set.size();
    }
    return new Curve("shortcut: last non-forward value", hops, new double[][] {acc});
  }

  private static HopReport hopReport(JsonNode n) {
    int k = n.get("hops").size();
    int[] hops = new int[k];
    double[] acc = new double[k];
    double[] steps = new double[k];
    for (int i = 0; i < k; i++) {
      hops[i] = n.get("hops").get(i).asInt();
      acc[i] = n.get("accuracy").get(i).asDouble();
      steps[i] = n.get("mean_steps").size() == k ? n.get("mean_steps").get(i).asDouble() : Double.NaN;
    }
    return new HopReport(hops, acc, steps, 0);
  }

  private static void write(Path dir, List<CpvrRun> runs, ObjectNode serving, List<HyperUtCpvrExperiment.Model> models,
      Curve shortcut, int examples) throws IOException {
    List<Curve> accuracy = new ArrayList<>();
    List<Curve> steps = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    int seeds = (int) runs.stream().mapToLong(CpvrRun::seed).distinct().count();
    md.append(String.format(Locale.ROOT, "# Hyper-UT study on C-PVR (L = %d, trained on 1–3 hops)%n%n",
            HyperUtCpvrExperiment.LENGTH))
        .append(String.format(Locale.ROOT, "%d seeds per model; mean ± sd over seeds; %d test sequences per hop"
            + " count.%n%n", seeds, examples));
    md.append("## Accuracy per hop count\n\n");
    StringBuilder stepsMd = new StringBuilder("## Mean ACT steps per hop count\n\n");
    StringBuilder notes = new StringBuilder();
    boolean header = false;
    for (HyperUtCpvrExperiment.Model m : models) {
      List<CpvrRun> mine = runs.stream().filter(r -> r.model().equals(m.id())).toList();
      if (mine.isEmpty()) {
        continue;
      }
      int[] hops = mine.get(0).trainDepth().hops();
      if (!header) {
        String cols = Arrays.stream(hops).mapToObj(Integer::toString).reduce((a, b) -> a + " | " + b).orElse("");
        md.append("| model | params | train s | ").append(cols).append(" |\n|---|---|---|")
            .append("---|".repeat(hops.length)).append('\n');
        stepsMd.append("| model | ").append(cols).append(" | ρ(steps, hops 1–6) |\n|---|")
            .append("---|".repeat(hops.length + 1)).append('\n');
        header = true;
      }
      boolean adaptive = mine.get(0).testDepth() != null;
      String trainLabel = adaptive ? m.label() + " (T_max " + HyperUtCpvrExperiment.TRAIN_MAX_STEPS + ")" : m.label();
      String testLabel = m.label() + " (≤ " + HyperUtCpvrExperiment.TEST_MAX_STEPS + " steps)";
      Curve acc = curve(trainLabel, mine, r -> r.trainDepth().accuracy(), CpvrRun::trainDepth);
      accuracy.add(acc);
      md.append(row(acc, mine));
      if (adaptive) {
        Curve st = curve(trainLabel, mine, r -> r.trainDepth().meanSteps(), CpvrRun::trainDepth);
        steps.add(st);
        stepsMd.append(stepsRow(st));
        if (mine.stream().allMatch(r -> Arrays.equals(r.trainDepth().accuracy(), r.testDepth().accuracy()))) {
          double moreSteps = mine.stream().mapToDouble(r -> maxDifference(r.testDepth().meanSteps(),
              r.trainDepth().meanSteps())).max().orElse(0);
          notes.append(String.format(Locale.ROOT, "With up to %d steps allowed at test time, %s is exactly as"
              + " accurate as with T_max %d for every seed and hop count (mean steps grow by at most %.3f): the cap"
              + " hardly ever forced a halt.%n%n", HyperUtCpvrExperiment.TEST_MAX_STEPS, m.label(),
              HyperUtCpvrExperiment.TRAIN_MAX_STEPS, moreSteps));
        } else {
          Curve accTest = curve(testLabel, mine, r -> r.testDepth().accuracy(),
              CpvrRun::testDepth);
          accuracy.add(accTest);
          md.append(row(accTest, mine));
          Curve stTest = curve(testLabel, mine, r -> r.testDepth().meanSteps(),
              CpvrRun::testDepth);
          steps.add(stTest);
          stepsMd.append(stepsRow(stTest));
        }
      }
    }
    md.append(String.format(Locale.ROOT, "| %s | – | – |", shortcut.label()));
    for (double a : shortcut.mean()) {
      md.append(String.format(Locale.ROOT, " %.1f |", 100 * a));
    }
    md.append("\n\nThe shortcut row needs no pointer following (`Cpvr.lastNonForwardValue`); it shows where"
        + " C-PVR with this L stops measuring multi-hop reasoning.\n");
    accuracy.add(shortcut);
    md.append('\n').append(notes).append(stepsMd).append('\n').append(claims(accuracy, steps)).append('\n')
        .append(servingTable(serving));
    AtomicFiles.write(dir.resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    new LinePlot(900, 520, "C-PVR accuracy per hop count (trained on 1–3 hops)", "hops", "test accuracy", false,
        false).write(dir.resolve("accuracy-per-hop.png"), accuracy.stream().map(Curve::series).toList());
    if (!steps.isEmpty()) {
      new LinePlot(900, 520, "Mean ACT steps per hop count", "hops", "mean steps (layers) used", false, false)
          .write(dir.resolve("steps-per-hop.png"), steps.stream().map(Curve::series).toList());
    }
    servingPlot(dir, serving);
  }

  private static Curve curve(String label, List<CpvrRun> runs, Function<CpvrRun, double[]> values,
      Function<CpvrRun, HopReport> report) {
    double[][] perSeed = runs.stream().map(values).toArray(double[][]::new);
    return new Curve(label, report.apply(runs.get(0)).hops(), perSeed);
  }

  private static double maxDifference(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  private static String row(Curve c, List<CpvrRun> runs) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s | %,d | %.0f |", c.label(),
        runs.get(0).parameters(), runs.stream().mapToDouble(CpvrRun::seconds).average().orElse(Double.NaN)));
    for (int i = 0; i < c.hops().length; i++) {
      double[] col = c.column(i);
      sb.append(String.format(Locale.ROOT, " %.1f ± %.1f |", 100 * Statistics.mean(col), 100 * Statistics.std(col)));
    }
    return sb.append('\n').toString();
  }

  private static String stepsRow(Curve c) {
    StringBuilder sb = new StringBuilder("| " + c.label() + " |");
    for (int i = 0; i < c.hops().length; i++) {
      sb.append(String.format(Locale.ROOT, " %.2f |", Statistics.mean(c.column(i))));
    }
    return sb.append(String.format(Locale.ROOT, " %s |%n", spearmanPerSeed(c))).toString();
  }

  /** ρ between hop count (1–6) and mean steps, per seed. */
  private static String spearmanPerSeed(Curve c) {
    int n = Math.min(6, c.hops().length);
    double[] x = Arrays.copyOf(c.x(), n);
    List<String> out = new ArrayList<>();
    for (double[] seed : c.perSeed()) {
      out.add(String.format(Locale.ROOT, "%.2f", Statistics.spearman(x, Arrays.copyOf(seed, n))));
    }
    return String.join(", ", out);
  }

  private static double meanOver(Curve c, int fromHop, int toHop) {
    double[] m = c.mean();
    double s = 0;
    int n = 0;
    for (int i = 0; i < c.hops().length; i++) {
      if (c.hops()[i] >= fromHop && c.hops()[i] <= toHop) {
        s += m[i];
        n++;
      }
    }
    return s / n;
  }

  private static String claims(List<Curve> accuracy, List<Curve> steps) {
    StringBuilder sb = new StringBuilder("## The paper's qualitative claims at this scale\n\n");
    int last = HyperUtCpvrExperiment.TEST_HOPS.get(HyperUtCpvrExperiment.TEST_HOPS.size() - 1);
    sb.append(String.format(Locale.ROOT, "| model | mean acc. hops 1–3 | mean acc. hops 4–6 | mean acc. hops 7–%d |%n"
        + "|---|---|---|---|%n", last));
    for (Curve c : accuracy) {
      sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", c.label(), 100 * meanOver(c, 1, 3),
          100 * meanOver(c, 4, 6), 100 * meanOver(c, 7, last)));
    }
    if (!steps.isEmpty()) {
      sb.append("\n| model | E[N] 1 hop | E[N] 3 hops | E[N] 6 hops | savings vs T_max on hops 1–3 |\n")
          .append("|---|---|---|---|---|\n");
      for (Curve c : steps) {
        double[] m = c.mean();
        double tmax = c.label().contains("≤ ") ? HyperUtCpvrExperiment.TEST_MAX_STEPS
            : HyperUtCpvrExperiment.TRAIN_MAX_STEPS;
        sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.0f %% |%n", c.label(), m[0], m[2],
            m[Math.min(5, m.length - 1)], 100 * (1 - meanOver(c, 1, 3) / tmax)));
      }
    }
    return sb.toString();
  }

  private static String servingTable(ObjectNode serving) {
    StringBuilder sb = new StringBuilder("## Serving (hops 1–6, seed-0 models)\n\n")
        .append("| model | path | batch 1: wall µs/example | batch 1: CPU µs/example | layers/example"
            + " | batch 64: wall µs/example | batch 64: CPU µs/example |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, JsonNode> m : serving.properties()) {
      for (Map.Entry<String, JsonNode> e : m.getValue().properties()) {
        JsonNode v = e.getValue();
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.2f | %.0f | %.0f |%n", m.getKey(),
            e.getKey(), v.get("batch1_micros_per_example").asDouble(),
            v.path("batch1_cpu_micros_per_example").asDouble(Double.NaN),
            v.get("batch1_layers_per_example").asDouble(), v.get("batch64_micros_per_example").asDouble(),
            v.path("batch64_cpu_micros_per_example").asDouble(Double.NaN)));
      }
    }
    sb.append("\nBatch 1, per hop count (wall µs/example; CPU µs/example; layers):\n\n| model, path |");
    List<String> lines = new ArrayList<>();
    boolean header = false;
    for (Map.Entry<String, JsonNode> m : serving.properties()) {
      for (Map.Entry<String, JsonNode> e : m.getValue().properties()) {
        JsonNode perHop = e.getValue().get("batch1_per_hop");
        if (!header) {
          for (JsonNode h : perHop) {
            sb.append(' ').append(h.get("hops").asInt()).append(" |");
          }
          sb.append("\n|---|").append("---|".repeat(perHop.size())).append('\n');
          header = true;
        }
        StringBuilder row = new StringBuilder("| " + m.getKey() + ", " + e.getKey() + " |");
        for (JsonNode h : perHop) {
          row.append(String.format(Locale.ROOT, " %.0f; %.0f; %.2f |", h.get("micros").asDouble(),
              h.path("cpu_micros").asDouble(Double.NaN), h.get("layers").asDouble()));
        }
        lines.add(row.toString());
      }
    }
    lines.forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }

  private static void servingPlot(Path dir, ObjectNode serving) throws IOException {
    List<LinePlot.Series> series = new ArrayList<>();
    for (Map.Entry<String, JsonNode> m : serving.properties()) {
      for (Map.Entry<String, JsonNode> e : m.getValue().properties()) {
        if (m.getKey().equals("ut")) {
          continue;
        }
        JsonNode perHop = e.getValue().get("batch1_per_hop");
        double[] x = new double[perHop.size()];
        double[] y = new double[perHop.size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = perHop.get(i).get("hops").asDouble();
          y[i] = perHop.get(i).path("cpu_micros").asDouble(perHop.get(i).get("micros").asDouble());
        }
        series.add(new LinePlot.Series(m.getKey() + ": " + e.getKey(), x, y));
      }
    }
    if (!series.isEmpty()) {
      new LinePlot(900, 520, "Serving compute per example, batch 1 (CPU time of the serving thread)", "hops",
          "CPU µs per example", false, false)
          .write(dir.resolve("serving-time-per-hop.png"), series);
    }
  }
}
