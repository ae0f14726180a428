package dev.kiln.spark;

import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The entry point {@code spark-submit} runs: {@code spark-submit --class dev.kiln.spark.KilnSpark
 * kiln-spark.jar sample|eval|infer|sweep OPTIONS}. A user mistake (a bad value, a missing file or column)
 * is one line on stderr and exit status 2.
 */
@Command(name = "kiln-spark", mixinStandardHelpOptions = true,
    subcommands = {KilnSpark.Sample.class, KilnSpark.Eval.class, KilnSpark.Infer.class, KilnSpark.Sweep.class},
    description = "Kiln's sampling, evaluation, batch inference and sweeps as Apache Spark jobs.")
public final class KilnSpark {

  /** Exit status of a user mistake. */
  public static final int USAGE_ERROR = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line; returns its exit status. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new KilnSpark());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      String mistake = mistake(e);
      if (mistake == null) {
        throw e;
      }
      line.getErr().println("kiln-spark " + line.getCommandName() + ": " + mistake);
      return USAGE_ERROR;
    });
    return cli.execute(args);
  }

  /** The message of a user mistake somewhere in {@code e}'s causes (a Spark job wraps a task's), or null. */
  static String mistake(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof ConfigException || t instanceof IOException
          || t instanceof UncheckedIOException) {
        return t.getMessage();
      }
    }
    return null;
  }

  /** Options every job shares: the Spark master and how the executors run ONNX Runtime. */
  static final class Cluster {
    @Option(names = "--master", description = {"Spark master URL (default: spark-submit's --master, else local[*])"})
    String master;

    @Option(names = "--partitions", description = "partitions (default: Spark's default parallelism)")
    Integer partitions;

    @Option(names = "--ort-threads", description = "ONNX Runtime intra-op threads per executor session"
        + " (default: ${DEFAULT-VALUE}, one core per task)")
    int ortThreads = 1;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda", description = "where ONNX Runtime runs on the"
        + " executors (default: ${DEFAULT-VALUE}); cuda needs the onnxruntime_gpu build (-Pcuda)")
    String device = "cpu";

    SparkSession session(String job) {
      SparkSession.Builder b = SparkSession.builder().appName("kiln-spark " + job);
      if (master != null) {
        b.master(master);
      } else if (System.getProperty("spark.master") == null) {
        b.master("local[*]");
      }
      return b.getOrCreate();
    }

    int partitions(SparkSession spark) {
      return partitions != null ? partitions : spark.sparkContext().defaultParallelism();
    }

    ExecutorRuntime runtime() {
      return new ExecutorRuntime(device, ortThreads);
    }
  }

  /** What a sample job draws. */
  static final class Sampling {
    @Option(names = "--model", required = true, description = "an exported model (.onnx)")
    Path model;

    @Option(names = "--sampler", description = "sampler (default: the model's)")
    String sampler;

    @Option(names = "--steps", description = "sampling steps (default: the model's)")
    Integer steps;

    @Option(names = {"-n", "--count"}, description = "samples (default: ${DEFAULT-VALUE})")
    long count = 10_000;

    @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--label", description = "class to sample (default: every class in turn)")
    Integer label;

    @Option(names = "--guidance", description = "classifier-free guidance scale (default: ${DEFAULT-VALUE})")
    double guidance = 1.0;

    @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "sampler setting, as kiln sample --set")
    List<String> settings = new ArrayList<>();

    @Option(names = "--shard-size", description = {"samples per shard (default: ${DEFAULT-VALUE}, kiln sample's"
        + " batch: the same samples as kiln sample)"})
    int shardSize = dev.kiln.inference.SampleBatches.DEFAULT_SIZE;

    SampleSpec spec(SparkSession spark, ExecutorRuntime runtime) throws IOException {
      return SampleSpec.plan(JavaSparkContext.fromSparkContext(spark.sparkContext()), model, sampler, settings, steps,
          count, seed, label, guidance, shardSize, runtime);
    }
  }

  @Command(name = "sample", mixinStandardHelpOptions = true,
      description = "Draw N samples as Parquet rows (shard, index, label, shape, values), plus a PNG on request.")
  static final class Sample implements Callable<Integer> {
    @Mixin Sampling sampling;
    @Mixin Cluster cluster;

    @Option(names = "--out", required = true, description = "Parquet folder to create")
    String out;

    @Option(names = "--png", description = "also a PNG of the first samples (at most 4096)")
    Path png;

    @Override
    public Integer call() throws IOException {
      SparkSession spark = cluster.session("sample");
      Outputs.requireNew(spark, out, "--out");
      ExecutorRuntime runtime = cluster.runtime();
      SampleSpec spec = sampling.spec(spark, runtime);
      long start = System.nanoTime();
      var rows = SampleJob.samples(spark, spec, cluster.partitions(spark));
      Outputs.parquet(spark, rows, out, "--out");
      double secs = (System.nanoTime() - start) / 1e9;
      if (png != null) {
        List<Row> first = spark.read().parquet(out).filter(functions.col("index").lt(4096)).orderBy("index")
            .collectAsList();
        GenerativeModel m = runtime.generative(spec.model());
        DiffusionTask task = ExecutorRuntime.task(m);
        SampleSheet.write(SampleJob.tensor(first), m.numClasses() > 0, spec.count(), task,
            spec.sampler() + ", " + spec.steps() + " steps", png, spec.seed());
      }
      System.out.printf(Locale.ROOT, "%d samples, %s %d steps (%d model calls), %d shards on %d partitions in %.2f s"
          + " -> %s%n", spec.count(), spec.sampler(), spec.steps(), spec.evaluations(), spec.shards(),
          cluster.partitions(spark), secs, out);
      return 0;
    }
  }

  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = "FD and k-NN precision/recall of N samples against held-out data, computed distributedly.")
  static final class Eval implements Callable<Integer> {
    @Mixin Sampling sampling;
    @Mixin Cluster cluster;

    @Option(names = "--out", description = "also write the result as one JSON object to this file")
    Path out;

    @Override
    public Integer call() throws IOException {
      SparkSession spark = cluster.session("eval");
      SampleSpec spec = sampling.spec(spark, cluster.runtime());
      EvalJob.Result r = EvalJob.run(spark, spec, cluster.partitions(spark));
      System.out.println(r.json());
      if (out != null) {
        Outputs.text(out, r.json() + "\n");
      }
      return 0;
    }
  }

  @Command(name = "infer", mixinStandardHelpOptions = true,
      description = "Run any exported model over a Parquet table of inputs (one column per model input).")
  static final class Infer implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Option(names = "--model", required = true, description = "an exported model (.onnx)")
    Path model;

    @Option(names = "--input", required = true, description = "Parquet table of inputs")
    String input;

    @Option(names = "--out", required = true, description = "Parquet folder to create")
    String out;

    @Option(names = "--batch", description = "rows per ONNX Runtime call (default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Override
    public Integer call() throws IOException {
      SparkSession spark = cluster.session("infer");
      Outputs.requireNew(spark, out, "--out");
      ModelFile file = ModelFile.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), model, "--model");
      long start = System.nanoTime();
      var rows = InferJob.run(spark, file, cluster.runtime(), input, batch);
      if (cluster.partitions != null) {
        rows = rows.repartition(cluster.partitions);
      }
      Outputs.parquet(spark, rows, out, "--out");
      System.out.printf(Locale.ROOT, "%s over %s in %.2f s -> %s%n", model, input, (System.nanoTime() - start) / 1e9,
          out);
      return 0;
    }
  }

  @Command(name = "sweep", mixinStandardHelpOptions = true,
      description = "Evaluate a grid of models x samplers x steps x guidance: sweep.csv and sweep.png.")
  static final class Sweep implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Option(names = "--models", required = true, split = ",", description = "exported models")
    List<Path> models;

    @Option(names = "--samplers", split = ",", description = "samplers; `default`: each model's (default: default)")
    List<String> samplers = List.of("default");

    @Option(names = "--steps", required = true, split = ",", description = "step counts, e.g. 5,10,20,50")
    List<Integer> steps;

    @Option(names = "--guidance", split = ",", description = "guidance scales for conditional models (default: 1)")
    List<Double> guidance = List.of(1.0);

    @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "sampler setting for every cell")
    List<String> settings = new ArrayList<>();

    @Option(names = {"-n", "--count"}, description = "samples per cell (default: ${DEFAULT-VALUE})")
    long count = 10_000;

    @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--shard-size", description = "samples per shard (default: ${DEFAULT-VALUE})")
    int shardSize = dev.kiln.inference.SampleBatches.DEFAULT_SIZE;

    @Option(names = "--out", required = true, description = "folder for sweep.csv and sweep.png")
    Path out;

    @Override
    public Integer call() throws IOException {
      SparkSession spark = cluster.session("sweep");
      var grid = new SweepJob.Grid(models, samplers, steps, guidance, settings, count, seed, shardSize);
      List<EvalJob.Result> rows = SweepJob.run(spark, grid, cluster.runtime(), cluster.partitions(spark));
      SweepJob.write(rows, out);
      System.out.print(SweepJob.csv(rows));
      return 0;
    }
  }
}
