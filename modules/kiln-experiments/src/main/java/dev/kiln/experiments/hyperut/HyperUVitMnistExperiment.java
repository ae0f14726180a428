package dev.kiln.experiments.hyperut;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.data.MnistDigits;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import dev.kiln.transformers.model.HyperUVitProvider;
import dev.kiln.transformers.model.UniversalTransformer;
import dev.kiln.transformers.model.VitProvider;
import dev.kiln.transformers.serving.AdaptiveDepthRunner;
import dev.kiln.transformers.tasks.PonderClassificationTaskProvider;
import dev.kiln.viz.LinePlot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HyperU-ViT against a ViT of equal width and maximum depth on MNIST (Hyper-UT, arXiv 2310.08866:
 * "HyperU-ViT matches a ViT with over 70 % average savings by using fewer layers"; report
 * {@code docs/reproductions/hyper-ut.md}). 7×7 patches (16 + CLS tokens), d = 64, 4 heads, FFN 128;
 * ViT has 12 layers and HyperU-ViT at most 12 steps with 8 weight banks ({@link #recipe} also makes
 * U-ViT, the ablation: at most 12 steps of one shared block without banks). Reports test accuracy, the layers each test digit used,
 * the multiply-adds per digit against the ViT's (the hyper network's weight mixing and the router
 * counted, {@link ComputeCount}), and serving wall time per example. Writes {@code results.json},
 * {@code summary.md} and {@code layers-histogram.png}.
 */
public final class HyperUVitMnistExperiment implements Experiment {

  /** Training steps per model (150: two 12-deep models × 3 seeds fit about 15 minutes on 2 busy cores). */
  public static final long STEPS = 150;
  /** The ViT's depth and the adaptive models' T_max: 12, a depth at which ACT has room to save. */
  static final int DEPTH = 12;

  @Override
  public String name() {
    return "hyperu-vit-mnist";
  }

  @Override
  public String description() {
    return "HyperU-ViT vs U-ViT vs ViT (equal width and maximum depth) on MNIST: accuracy, layers used, serving time";
  }

  /** The models compared, in table order. */
  static final List<String> MODELS = List.of("vit", "hyperu-vit");
  /** Every model a recipe can be made for: the compared ones and the U-ViT ablation. */
  static final List<String> TYPES = List.of("vit", "u-vit", "hyperu-vit");

  /**
   * The recipe of one model: {@code vit}, {@code hyperu-vit}, or {@code u-vit} (the ablation without
   * weight banks: HyperU-ViT with {@code pool_size} 0, a Universal Transformer with ACT on patches; at
   * depth 12 it is left out of the study to fit its CPU budget).
   */
  public static Recipe recipe(String type, long steps, long seed) {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("hyperu-vit-mnist has no model `" + type + "`; models are " + TYPES);
    }
    String arch = type.equals("vit")
        ? "{\"type\": \"vit\", \"dim\": 64, \"heads\": 4, \"ffn\": 128, \"depth\": " + DEPTH + "}"
        : "{\"type\": \"hyperu-vit\", \"dim\": 64, \"heads\": 4, \"ffn\": 128, \"max_steps\": " + DEPTH
            + ", \"pool_size\": " + (type.equals("u-vit") ? 0 : 8) + ", \"router_heads\": 1, \"router_dim\": 32}";
    String json = String.format(Locale.ROOT, """
        {
          "name": "hyperu-vit-mnist-%s-seed%d",
          "seed": %d,
          "task": {"type": "ponder-classification", "data": "mnist", "batch_size": 64, "augment_shift": 1,
                   "ponder_weight": 0.01},
          "architecture": %s,
          "optimizer": {"type": "adamw", "lr": 0.001, "beta1": 0.9, "beta2": 0.98, "weight_decay": 0.01},
          "schedule": {"type": "cosine", "warmup_steps": %d, "min_ratio": 0.0},
          "trainer": {"steps": %d, "log_every": %d, "clip_grad_norm": 1.0}
        }""", type, seed, seed, arch, Math.min(200, steps / 5), steps, Math.max(1, Math.min(100, steps / 10)));
    return Recipe.parse(json, "hyperu-vit-mnist " + type);
  }

  @Override
  public void run(Context ctx) throws Exception {
    long steps = ctx.quick() ? 10 : STEPS;
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : 1;
    int benchDigits = ctx.quick() ? 64 : 200; // at least one batch of 64
    int rounds = ctx.quick() ? 1 : 5;
    TrainingRun training = new TrainingRun(ctx.backend(),
        Map.of("ponder-classification", new PonderClassificationTaskProvider()),
        Map.of("vit", new VitProvider(), "hyperu-vit", new HyperUVitProvider()));
    MnistDigits.Split test = MnistDigits.load().test();
    ObjectNode root = Configs.mapper().createObjectNode();
    root.put("experiment", name());
    root.put("steps", steps);
    ArrayNode runs = root.putArray("runs");
    StringBuilder md = new StringBuilder("# HyperU-ViT vs ViT on MNIST\n\n")
        .append("| model | seed | params | train s | test accuracy | mean layers | multiply-adds vs ViT"
            + " | layers per digit 0–9 |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    List<LinePlot.Series> histogram = new ArrayList<>();
    List<ServingSessions.Served> served = new ArrayList<>();
    for (int seed = 0; seed < seeds; seed++) {
      for (String type : MODELS) {
        StudyRun f = StudyRun.trainOrReuse(training, ctx.backend(), recipe(type, steps, seed),
            ctx.outDir().resolve("runs").resolve(type + "-seed" + seed), ctx.log());
        Map<String, Double> eval = f.lastEval();
        ObjectNode o = runs.addObject().put("model", type).put("seed", seed).put("parameters", f.parameters())
            .put("train_seconds", f.seconds()).put("final_loss", f.finalLoss());
        eval.forEach(o::put);
        if (f.built().architecture() instanceof UniversalTransformer ut) {
          double[] counts = layersHistogram(ctx, ut, f, test);
          ArrayNode h = o.putArray("layers_histogram");
          for (double c : counts) {
            h.add(c);
          }
          histogram.add(new LinePlot.Series((type.equals("u-vit") ? "U-ViT" : "HyperU-ViT") + " seed " + seed,
              java.util.stream.IntStream.rangeClosed(1, DEPTH).asDoubleStream().toArray(), counts));
        }
        StringBuilder perDigit = new StringBuilder();
        for (int d = 0; d < 10; d++) {
          Double v = eval.get("test_steps_digit_" + d);
          perDigit.append(d == 0 ? "" : " ").append(v == null ? Integer.toString(DEPTH)
              : String.format(Locale.ROOT, "%.2f", v));
        }
        double layers = eval.getOrDefault("test_steps", (double) DEPTH);
        double macs = f.built().architecture() instanceof UniversalTransformer ut
            ? ComputeCount.perExample(ut, layers) : ComputeCount.perExample(f.built().architecture(), DEPTH);
        double vitMacs = ComputeCount.block(17, 64, 128) * DEPTH;
        o.put("multiply_adds", macs).put("multiply_adds_ratio_to_vit", macs / vitMacs);
        md.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.0f | %.2f %% | %.2f | %.3f | %s |%n", type, seed,
            f.parameters(), f.seconds(), 100 * eval.getOrDefault("test_accuracy", Double.NaN), layers,
            macs / vitMacs, perDigit));
        ctx.log().printf(Locale.ROOT, "%s seed %d: test accuracy %.4f, mean layers %.2f (%.0f s)%n", type, seed,
            eval.getOrDefault("test_accuracy", Double.NaN), eval.getOrDefault("test_steps", (double) DEPTH),
            f.seconds());
        if (seed == 0) {
          served.add(new ServingSessions.Served(type, f.built().architecture(), f.weights()));
        }
      }
    }
    md.append(benchmark(ctx, served, test, benchDigits, rounds, root.putObject("serving")));
    AtomicFiles.write(ctx.outDir().resolve("results.json"),
        Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    AtomicFiles.write(ctx.outDir().resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    if (!histogram.isEmpty()) {
      new LinePlot(800, 480, "U-ViT and HyperU-ViT: layers used per MNIST test digit", "layers (ACT steps)",
          "fraction of test digits", false, false).write(ctx.outDir().resolve("layers-histogram.png"), histogram);
    }
  }

  /** Fraction of test digits that used 1, 2, … T_max layers, served by the Java step loop. */
  private static double[] layersHistogram(Context ctx, UniversalTransformer ut, StudyRun f, MnistDigits.Split test) {
    double[] counts = new double[ut.halting().maxSteps()];
    try (AdaptiveDepthRunner runner = AdaptiveDepthRunner.of(ctx.backend(), ut, f.weights())) {
      for (int start = 0; start < test.size(); start += 500) {
        int n = Math.min(500, test.size() - start);
        for (int s : runner.run(Map.of("x", test.flat(range(start, n), MnistDigits.Scale.SYMMETRIC))).steps()) {
          counts[s - 1] += 1.0 / test.size();
        }
      }
    }
    return counts;
  }

  /** Serving time of both models' paths on the same digits, in the same interleaved rounds. */
  private static String benchmark(Context ctx, List<ServingSessions.Served> served, MnistDigits.Split test,
      int digits, int rounds, ObjectNode out) throws Exception {
    List<Map<String, Tensor>> single = new ArrayList<>();
    for (int i = 0; i < digits; i++) {
      single.add(Map.of("x", test.flat(new int[] {i * (test.size() / digits)}, MnistDigits.Scale.SYMMETRIC)));
    }
    List<Map<String, Tensor>> batches = new ArrayList<>();
    for (int start = 0; start + 64 <= digits; start += 64) {
      batches.add(Map.of("x", test.flat(range(start, 64), MnistDigits.Scale.SYMMETRIC)));
    }
    Map<String, List<ServingBenchmark.Timing>> one = ServingSessions.timeAll(ctx.backend(), served, single, rounds,
        20, DEPTH);
    Map<String, List<ServingBenchmark.Timing>> many = ServingSessions.timeAll(ctx.backend(), served, batches, rounds,
        2, DEPTH);
    StringBuilder rows = new StringBuilder("\n## Serving (seed 0, " + digits + " test digits)\n\n"
        + "| model | path | batch 1: wall µs/example | batch 1: CPU µs/example | layers/example"
        + " | batch 64: wall µs/example | batch 64: CPU µs/example |\n|---|---|---|---|---|---|---|\n");
    for (ServingSessions.Served m : served) {
      ObjectNode model = out.putObject(m.id());
      for (int k = 0; k < one.get(m.id()).size(); k++) {
        ServingBenchmark.Timing t = one.get(m.id()).get(k);
        double layers = java.util.Arrays.stream(t.steps()).mapToDouble(st -> st[0]).average().orElse(Double.NaN);
        ServingBenchmark.Timing batch = many.get(m.id()).get(k);
        model.putObject(t.name()).put("batch1_micros_per_example", t.meanMicros())
            .put("batch1_cpu_micros_per_example", t.meanCpuMicros()).put("batch1_layers_per_example", layers)
            .put("batch64_micros_per_example", batch.meanMicros() / 64)
            .put("batch64_cpu_micros_per_example", batch.meanCpuMicros() / 64);
        rows.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.2f | %.0f | %.0f |%n", m.id(), t.name(),
            t.meanMicros(), t.meanCpuMicros(), layers, batch.meanMicros() / 64, batch.meanCpuMicros() / 64));
      }
    }
    return rows.toString();
  }

  private static int[] range(int start, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = start + i;
    }
    return idx;
  }
}
