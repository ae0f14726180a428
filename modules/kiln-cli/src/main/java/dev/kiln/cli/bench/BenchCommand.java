package dev.kiln.cli.bench;

import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.train.Optimizer;
import dev.kiln.train.OptimizerConfig;
import dev.kiln.train.TrainGraph;
import dev.kiln.train.TrainStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln bench}: trains the same models in Kiln and in PyTorch in one run, interleaving timed
 * windows, and prints the median steps/s of each and their ratio. PyTorch gets its best settings:
 * {@code OMP_WAIT_POLICY=PASSIVE} and the faster of 1 or 2 threads, chosen per round.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = ServeBench.class,
    description = {"Benchmark Kiln's training step against PyTorch on the same models.",
        "Needs /usr/bin/python3 with torch for the baseline (skipped with a note if absent)."})
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--rounds", description = "interleaved timing rounds (default: ${DEFAULT-VALUE})")
  int rounds = 5;

  @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE})")
  int threads = 2;

  @Option(names = "--python", description = "Python with torch (default: ${DEFAULT-VALUE})")
  String python = "/usr/bin/python3";

  @Option(names = "--only", description = "run only cases whose name contains this")
  String only;

  @Option(names = "--script", description = "the PyTorch script (default: ${DEFAULT-VALUE})")
  Path script = Path.of("scripts/bench/torch_train.py");

  /** One benchmark case. */
  record Case(String name, String torchModel, int batch, int warmup, int steps, Supplier<TrainGraph> graph) {}

  static List<Case> cases() {
    return List.of(
        new Case("mlp 4x256, batch 256", "mlp", 256, 50, 300, BenchModels::mlp),
        new Case("mlp 4x256, batch 1024", "mlp", 1024, 20, 120, BenchModels::mlp),
        new Case("transformer block w128 t64, batch 32", "block", 32, 5, 30,
            BenchModels::block));
  }

  @Override
  public Integer call() throws Exception {
    boolean torch = Files.isExecutable(Path.of(python)) && Files.exists(script);
    if (!torch) {
      System.out.println("note: " + python + " or " + script + " missing; reporting Kiln only");
    }
    System.out.printf(Locale.ROOT, "%-38s %14s %14s %14s %8s%n", "model", "kiln steps/s", "copying", "pytorch",
        "ratio");
    for (Case c : cases()) {
      if (only != null && !c.name().contains(only)) {
        continue;
      }
      List<Double> kiln = new ArrayList<>();
      List<Double> naive = new ArrayList<>();
      List<Double> pytorch = new ArrayList<>();
      try (KilnRunner bound = new KilnRunner(c, threads, true); KilnRunner copying = new KilnRunner(c, threads, false)) {
        bound.time(c.warmup());
        copying.time(c.warmup());
        for (int r = 0; r < rounds; r++) {
          kiln.add(bound.time(c.steps()));
          naive.add(copying.time(c.steps()));
          if (torch) {
            pytorch.add(Math.max(runTorch(c, 1), runTorch(c, 2)));
          }
        }
      }
      double k = median(kiln);
      double p = torch ? median(pytorch) : Double.NaN;
      System.out.printf(Locale.ROOT, "%-38s %14.1f %14.1f %14.1f %8.2f%n", c.name(), k, median(naive), p, k / p);
    }
    return 0;
  }

  private double runTorch(Case c, int torchThreads) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(python, script.toString(), c.torchModel(), Integer.toString(c.batch()),
        Integer.toString(torchThreads), Integer.toString(c.warmup()), Integer.toString(c.steps()));
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.redirectErrorStream(true);
    Process proc = pb.start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null;) {
        last = line;
      }
    }
    if (proc.waitFor() != 0 || last == null || !last.contains("steps_per_s")) {
      throw new IOException("PyTorch benchmark failed: " + last);
    }
    String v = last.replaceAll(".*\"steps_per_s\": ([0-9.eE+-]+).*", "$1");
    return Double.parseDouble(v);
  }

  static double median(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /**
   * Kiln's step, either bound (inputs, parameters and pinned outputs wrapped once: no copies) or
   * copying (new input wrappers per run, outputs copied into new tensors and then into the gradient
   * buffers), with Adam on the direct buffers in both.
   */
  static final class KilnRunner implements AutoCloseable {
    private final TrainStep step;
    private final Session session;
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private final Optimizer optimizer;
    private final boolean bound;
    private long t;

    KilnRunner(Case c, int threads, boolean bound) {
      this.bound = bound;
      TrainGraph tg = c.graph().get();
      Weights w = Weights.initialize(tg.graph(), 0);
      OrtBackend backend = new OrtBackend(BackendOptions.cpu(threads));
      this.step = TrainStep.compile(tg, backend, Map.of("N", (long) c.batch()), w);
      SplittableRandom rng = new SplittableRandom(0);
      for (Tensor f : step.feeds().values()) {
        for (int i = 0; i < f.size(); i++) {
          f.set(i, rng.nextGaussian());
        }
      }
      List<Optimizer.Slot> slots = new ArrayList<>();
      for (String name : step.trainable()) {
        slots.add(new Optimizer.Slot(name, w.get(name), step.gradients().get(name), false));
      }
      this.optimizer = Optimizer.create(OptimizerConfig.adam(1e-3), slots);
      if (bound) {
        this.session = null;
      } else {
        List<String> outs = new ArrayList<>(List.of("loss"));
        step.trainable().forEach(n -> outs.add("grad:" + n));
        this.session = backend.load(ModelWriter.of(tg.graph()).onlyOutputs(outs.toArray(new String[0])).toBytes());
        inputs.putAll(step.feeds());
        for (String n : session.inputNames()) {
          if (!inputs.containsKey(n)) {
            inputs.put(n, w.get(n));
          }
        }
      }
    }

    /** Runs {@code n} steps; returns steps per second. */
    double time(int n) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (bound) {
          step.run();
        } else {
          Map<String, Tensor> out = session.run(inputs);
          for (String name : step.trainable()) {
            step.gradients().get(name).copyFrom(out.get("grad:" + name));
          }
        }
        optimizer.step(1e-3, ++t);
      }
      return n / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
      if (session != null) {
        session.close();
      }
      step.close();
    }
  }
}
