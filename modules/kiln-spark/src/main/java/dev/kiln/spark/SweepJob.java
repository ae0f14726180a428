package dev.kiln.spark;

import dev.kiln.viz.LinePlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The sweep job: every model × sampler × steps × guidance of a grid through {@link EvalJob}, one row each,
 * written as a CSV table and a plot of FD against model evaluations per sample (NFE), one line per model,
 * sampler and guidance. Guidance applies to class-conditional models; an unconditional model is evaluated at
 * guidance 1 only. Each cell is one Spark job over the cluster; cells run one after another.
 */
public final class SweepJob {

  private SweepJob() {}

  /** The grid. {@code samplers} may hold {@code default}: each model's own default sampler. */
  public record Grid(List<Path> models, List<String> samplers, List<Integer> steps, List<Double> guidance,
      List<String> settings, long count, long seed, int shardSize) {

    public Grid {
      for (var e : Map.of("--models", models, "--samplers", samplers, "--steps", steps, "--guidance", guidance)
          .entrySet()) {
        if (e.getValue().isEmpty()) {
          throw new IllegalArgumentException(e.getKey() + " needs at least one value");
        }
      }
    }
  }

  /** Runs every cell of {@code grid}; the rows in grid order. */
  public static List<EvalJob.Result> run(SparkSession spark, Grid grid, ExecutorRuntime runtime, int partitions)
      throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<EvalJob.Result> rows = new ArrayList<>();
    for (Path model : grid.models()) {
      boolean conditional;
      try (var m = dev.kiln.inference.GenerativeModel.load(model, runtime.backend())) {
        conditional = m.numClasses() > 0;
      }
      for (String sampler : grid.samplers()) {
        for (int steps : grid.steps()) {
          for (double g : conditional ? grid.guidance() : List.of(1.0)) {
            SampleSpec spec = SampleSpec.plan(sc, model, "default".equals(sampler) ? null : sampler, grid.settings(),
                steps, grid.count(), grid.seed(), null, g, grid.shardSize(), runtime);
            rows.add(EvalJob.run(spark, spec, partitions));
          }
        }
      }
    }
    return rows;
  }

  /** The rows as CSV, a header line first. */
  public static String csv(List<EvalJob.Result> rows) {
    StringBuilder sb = new StringBuilder("model,sampler,steps,nfe,guidance,count,references,fd,precision,recall,"
        + "seconds\n");
    for (EvalJob.Result r : rows) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%d,%d,%.6g,%.4f,%.4f,%.2f%n", csvField(r.model()),
          r.sampler(), r.steps(), r.evaluations(), r.guidance(), r.count(), r.references(), r.fd(), r.precision(),
          r.recall(), r.seconds()));
    }
    return sb.toString();
  }

  /** Writes {@code sweep.csv} and {@code sweep.png} into {@code dir}. */
  public static void write(List<EvalJob.Result> rows, Path dir) throws IOException {
    Files.createDirectories(dir);
    Outputs.text(dir.resolve("sweep.csv"), csv(rows));
    Map<String, List<EvalJob.Result>> lines = new LinkedHashMap<>();
    for (EvalJob.Result r : rows) {
      String name = label(r.model()) + " " + r.sampler() + (r.guidance() != 1 ? " w=" + r.guidance()
          : "");
      lines.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
    }
    List<LinePlot.Series> series = new ArrayList<>();
    boolean positive = rows.stream().allMatch(r -> r.fd() > 0);
    lines.forEach((name, rs) -> series.add(new LinePlot.Series(name,
        rs.stream().mapToDouble(EvalJob.Result::evaluations).toArray(),
        rs.stream().mapToDouble(EvalJob.Result::fd).toArray())));
    Path png = dir.resolve("sweep.png");
    Path tmp = dev.kiln.graph.onnx.AtomicFiles.temporaryBeside(png, ".png.tmp");
    try {
      LinePlot.titled("Fréchet distance against model evaluations per sample").withLabels("NFE", "FD")
          .withLogX(true).withLogY(positive).write(tmp, series);
      dev.kiln.graph.onnx.AtomicFiles.move(tmp, png);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A model's name in the legend: its file and the folder it is in ({@code mnist-unet/model.onnx}). */
  static String label(String model) {
    Path p = Path.of(model);
    Path parent = p.getParent();
    return parent == null || parent.getFileName() == null ? p.toString()
        : parent.getFileName() + "/" + p.getFileName();
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
