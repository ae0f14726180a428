package dev.kiln.experiments.hyperut;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.inference.ForwardSession;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import dev.kiln.transformers.model.HyperUtProvider;
import dev.kiln.transformers.model.TransformerEncoderProvider;
import dev.kiln.transformers.model.UniversalTransformer;
import dev.kiln.transformers.model.UniversalTransformerProvider;
import dev.kiln.transformers.serving.AdaptiveDepthRunner;
import dev.kiln.transformers.tasks.Cpvr;
import dev.kiln.transformers.tasks.CpvrTask;
import dev.kiln.transformers.tasks.CpvrTaskProvider;
import dev.kiln.transformers.tasks.HopReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Hyper-UT C-PVR study (arXiv 2310.08866, claims of the abstract; protocol of §6.1 of the
 * implementation notes, rescaled; report {@code docs/reproductions/hyper-ut.md}): a 4-layer
 * Transformer, UT-ACT, Hyper-UT and Hyper-T (the router without ACT), all d = 64, 4 heads, pre-LN,
 * GELU and about 139k parameters, trained on C-PVR with L = {@value #LENGTH} and 1–3 hops (fresh
 * examples every step), then scored on fixed test sequences for each hop count 1–12: with T_max =
 * {@value #TRAIN_MAX_STEPS} as in training and, for the ACT models, with up to {@value #TEST_MAX_STEPS}
 * steps, more than the largest hop count. Also times serving paths per example (Java step loop, ONNX
 * Loop, unrolled graph). Writes {@code results.json}, {@code summary.md}, PNG plots and the run folders.
 */
public final class HyperUtCpvrExperiment implements Experiment {

  /**
   * One compared model.
   *
   * @param id file-name-safe id
   * @param label legend label
   * @param architecture the recipe's architecture section
   */
  public record Model(String id, String label, String architecture) {}

  /** Sequence length L (values, classes and positions after CLS). */
  public static final int LENGTH = 24;
  /** Chains drawn inside windows of random length, so the no-pointer shortcut is near chance. */
  public static final boolean SPREAD_CHAIN_END = true;
  /** T_max of the adaptive models in training; the depth of the router-without-ACT ablation. */
  public static final int TRAIN_MAX_STEPS = 6;

  /**
   * The compared models, sized to about 139k parameters each: the Transformer's 4 blocks of FFN 128;
   * UT-ACT's one block with FFN 896; Hyper-UT's one block of FFN 128 plus P = 6 weight banks; Hyper-T,
   * Hyper-UT without ACT (always {@value #TRAIN_MAX_STEPS} steps).
   */
  public static final List<Model> MODELS = List.of(
      new Model("transformer", "Transformer (4 layers)",
          "{\"type\": \"transformer-encoder\", \"length\": 24, \"dim\": 64, \"heads\": 4, \"ffn\": 128, \"depth\": 4}"),
      new Model("ut", "UT-ACT",
          "{\"type\": \"universal-transformer\", \"length\": 24, \"dim\": 64, \"heads\": 4, \"ffn\": 896,"
              + " \"max_steps\": 6, \"act_epsilon\": 0.01, \"halting_bias_init\": -1.0}"),
      new Model("hyper-ut", "Hyper-UT",
          "{\"type\": \"hyper-ut\", \"length\": 24, \"dim\": 64, \"heads\": 4, \"ffn\": 128, \"max_steps\": 6,"
              + " \"act_epsilon\": 0.01, \"halting_bias_init\": -1.0, \"pool_size\": 6, \"router_heads\": 1,"
              + " \"router_dim\": 32}"),
      new Model("hyper-t", "Hyper-T (router, no ACT, 6 steps)",
          "{\"type\": \"hyper-ut\", \"length\": 24, \"dim\": 64, \"heads\": 4, \"ffn\": 128, \"max_steps\": 6,"
              + " \"act\": false, \"pool_size\": 6, \"router_heads\": 1, \"router_dim\": 32}"));

  /**
   * Training steps per model, sized so 4 models × 3 seeds train in about 30 minutes on 2 cores shared
   * with other work (UT-ACT's FFN of 896 makes it the slowest, about 1 step per second).
   */
  public static final long STEPS = 300;
  /** Hop counts scored: 1–3 as in training, then up to L/2. */
  public static final List<Integer> TEST_HOPS = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
  /** The most steps adaptive models may take at test time: above the largest hop count scored. */
  public static final int TEST_MAX_STEPS = 16;

  /**
   * The study's sizes.
   *
   * @param steps training steps per model
   * @param seeds seeds per model
   * @param testExamples test sequences per hop count
   * @param benchPerHop examples per hop count (1–6) timed one by one
   * @param benchRounds timing rounds
   */
  public record Plan(long steps, int seeds, int testExamples, int benchPerHop, int benchRounds) {

    static Plan of(Context ctx) {
      return of(ctx, STEPS, 3);
    }

    /** {@code steps} training steps and {@code seeds} seeds, unless {@code --seeds} or {@code --quick} says. */
    static Plan of(Context ctx, long steps, int seeds) {
      if (ctx.quick()) {
        return new Plan(30, ctx.seeds() > 0 ? ctx.seeds() : 1, 100, 4, 1);
      }
      return new Plan(steps, ctx.seeds() > 0 ? ctx.seeds() : seeds, 500, 20, 3);
    }
  }

  @Override
  public String name() {
    return "hyper-ut-cpvr";
  }

  @Override
  public String description() {
    return "Hyper-UT vs UT-ACT vs Transformer on C-PVR: accuracy and ACT steps per hop count, serving time";
  }

  /** The recipe of one run. */
  public static Recipe recipe(Model m, long steps, long seed, int testExamples) {
    String hops = TEST_HOPS.toString();
    String json = String.format(Locale.ROOT, """
        {
          "name": "hyper-ut-cpvr-%s-seed%d",
          "seed": %d,
          "task": {"type": "cpvr", "length": %d, "train_hops": [1, 2, 3], "test_hops": %s, "batch_size": 64,
                   "ponder_weight": 0.01, "test_examples": %d, "spread_chain_end": %b},
          "architecture": %s,
          "optimizer": {"type": "adamw", "lr": 0.001, "beta1": 0.9, "beta2": 0.98, "weight_decay": 0.01},
          "schedule": {"type": "cosine", "warmup_steps": %d, "min_ratio": 0.0},
          "trainer": {"steps": %d, "log_every": %d, "clip_grad_norm": 1.0}
        }""", m.id(), seed, seed, LENGTH, hops, testExamples, SPREAD_CHAIN_END, m.architecture(),
        Math.min(200, steps / 5), steps, Math.max(1, Math.min(100, steps / 10)));
    return Recipe.parse(json, "hyper-ut-cpvr " + m.id());
  }

  /** Trains and evaluates the compared models. */
  public static TrainingRun training(OrtBackend backend) {
    return new TrainingRun(backend, Map.of("cpvr", new CpvrTaskProvider()), Map.of(
        "transformer-encoder", new TransformerEncoderProvider(),
        "universal-transformer", new UniversalTransformerProvider(),
        "hyper-ut", new HyperUtProvider()));
  }

  @Override
  public void run(Context ctx) throws Exception {
    run(ctx, Plan.of(ctx));
  }

  /** Trains, scores and times the compared models under {@code plan}; writes the report's files. */
  static void run(Context ctx, Plan plan) throws Exception {
    TrainingRun training = training(ctx.backend());
    List<CpvrRun> runs = new ArrayList<>();
    Map<String, Trained> first = new LinkedHashMap<>();
    for (int seed = 0; seed < plan.seeds(); seed++) {
      for (Model m : MODELS) {
        Recipe recipe = recipe(m, plan.steps(), seed, plan.testExamples());
        StudyRun f = StudyRun.trainOrReuse(training, ctx.backend(), recipe,
            ctx.outDir().resolve("runs").resolve(m.id() + "-seed" + seed), ctx.log());
        CpvrRun run = evaluate(ctx.backend(), m, seed, f);
        runs.add(run);
        ctx.log().printf(Locale.ROOT, "%s seed %d: %.0f s, loss %.3f; accuracy per hop %s; steps per hop %s%n",
            m.label(), seed, f.seconds(), f.finalLoss(), fmt(run.trainDepth().accuracy()),
            fmt(run.trainDepth().meanSteps()));
        if (seed == 0) {
          first.put(m.id(), new Trained(m, f.built(), f.weights()));
        }
      }
    }
    ObjectNode serving = benchmark(ctx, plan, first);
    ObjectNode results = results(plan, runs);
    results.set("serving", serving);
    AtomicFiles.write(ctx.outDir().resolve("results.json"),
        Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(results));
    report(ctx.outDir());
  }

  /** Writes {@code summary.md} and the plots from the {@code results.json} a run of this study left in {@code dir}. */
  public static void report(Path dir) throws IOException {
    CpvrReport.write(dir, MODELS);
  }

  /** A trained model kept for the serving benchmark. */
  private record Trained(Model model, TrainingRun.Built built, Weights weights) {}

  static CpvrRun evaluate(OrtBackend backend, Model m, long seed, StudyRun f) throws Exception {
    TrainingRun.Built b = f.built();
    Weights w = f.weights();
    CpvrTask task = (CpvrTask) b.task();
    long params = f.parameters();
    double secs = f.seconds();
    double finalLoss = f.finalLoss();
    Architecture arch = b.architecture();
    if (arch instanceof UniversalTransformer ut) {
      try (AdaptiveDepthRunner runner = AdaptiveDepthRunner.of(backend, ut, w)) {
        HopReport train = task.evaluatePerHop(in -> runner.run(in, ut.halting().maxSteps()).asOutputs());
        HopReport test = ut.halting().adaptive()
            ? task.evaluatePerHop(in -> runner.run(in, TEST_MAX_STEPS).asOutputs()) : null;
        return new CpvrRun(m.id(), m.label(), seed, params, secs, finalLoss, train, test);
      }
    }
    try (ForwardSession fs = ForwardSession.compile(b.graph(), backend, w, "logits")) {
      return new CpvrRun(m.id(), m.label(), seed, params, secs, finalLoss, task.evaluatePerHop(fs::run), null);
    }
  }

  /**
   * Per-example wall time and depth of every serving path of every model, at batch 1 and batch 64,
   * on the same test sequences with 1–6 hops, timed in the same interleaved rounds.
   */
  private static ObjectNode benchmark(Context ctx, Plan plan, Map<String, Trained> models) throws Exception {
    int[] hops = {1, 2, 3, 4, 5, 6};
    CpvrTask task = (CpvrTask) models.values().iterator().next().built().task();
    List<Map<String, Tensor>> single = new ArrayList<>();
    List<Integer> hopOf = new ArrayList<>();
    List<Cpvr.Example> mixed = new ArrayList<>();
    for (int h : hops) {
      List<Cpvr.Example> set = task.testSet(h);
      for (int i = 0; i < plan.benchPerHop(); i++) {
        single.add(Map.of("tokens", task.tokens(set, i, 1)));
        hopOf.add(h);
      }
      mixed.addAll(set.subList(0, Math.min(set.size(), 64)));
    }
    java.util.Collections.shuffle(mixed, new java.util.Random(1));
    List<Map<String, Tensor>> batches = new ArrayList<>();
    for (int start = 0; start + 64 <= mixed.size(); start += 64) {
      batches.add(Map.of("tokens", task.tokens(mixed, start, 64)));
    }
    List<ServingSessions.Served> served = models.values().stream()
        .map(t -> new ServingSessions.Served(t.model().id(), t.built().architecture(), t.weights())).toList();
    Map<String, List<ServingBenchmark.Timing>> one = ServingSessions.timeAll(ctx.backend(), served, single,
        plan.benchRounds(), 20, 4);
    Map<String, List<ServingBenchmark.Timing>> many = ServingSessions.timeAll(ctx.backend(), served, batches,
        plan.benchRounds(), 2, 4);
    ObjectNode out = Configs.mapper().createObjectNode();
    for (Trained t : models.values()) {
      ObjectNode model = out.putObject(t.model().id());
      List<ServingBenchmark.Timing> mine = one.get(t.model().id());
      for (int k = 0; k < mine.size(); k++) {
        ServingBenchmark.Timing timing = mine.get(k);
        ObjectNode p = model.putObject(timing.name());
        ArrayNode perHop = p.putArray("batch1_per_hop");
        for (int h : hops) {
          double us = 0;
          double cpu = 0;
          double steps = 0;
          int n = 0;
          for (int i = 0; i < single.size(); i++) {
            if (hopOf.get(i) == h) {
              us += timing.micros()[i];
              cpu += timing.cpuMicros()[i];
              steps += timing.steps()[i][0];
              n++;
            }
          }
          perHop.addObject().put("hops", h).put("micros", us / n).put("cpu_micros", cpu / n).put("layers", steps / n);
        }
        double layers = Arrays.stream(timing.steps()).mapToDouble(st -> st[0]).average().orElse(Double.NaN);
        ServingBenchmark.Timing batch = many.get(t.model().id()).get(k);
        p.put("batch1_micros_per_example", timing.meanMicros());
        p.put("batch1_cpu_micros_per_example", timing.meanCpuMicros());
        p.put("batch1_layers_per_example", layers);
        p.put("batch64_micros_per_example", batch.meanMicros() / 64);
        p.put("batch64_cpu_micros_per_example", batch.meanCpuMicros() / 64);
        ctx.log().printf(Locale.ROOT, "serving %s, %s: batch 1 %.0f µs/example wall, %.0f CPU (%.2f layers);"
            + " batch 64 %.0f µs/example wall, %.0f CPU%n", t.model().label(), timing.name(), timing.meanMicros(),
            timing.meanCpuMicros(), layers, batch.meanMicros() / 64, batch.meanCpuMicros() / 64);
      }
    }
    return out;
  }

  private static ObjectNode results(Plan plan, List<CpvrRun> runs) {
    ObjectNode root = Configs.mapper().createObjectNode();
    root.put("experiment", "hyper-ut-cpvr");
    root.put("steps", plan.steps());
    root.put("seeds", plan.seeds());
    root.put("test_examples_per_hop", plan.testExamples());
    root.put("test_max_steps", TEST_MAX_STEPS);
    ArrayNode arr = root.putArray("runs");
    for (CpvrRun r : runs) {
      ObjectNode o = arr.addObject();
      o.put("model", r.model());
      o.put("seed", r.seed());
      o.put("parameters", r.parameters());
      o.put("train_seconds", r.seconds());
      o.put("final_loss", r.finalLoss());
      o.set("t_max_train", report(r.trainDepth()));
      if (r.testDepth() != null) {
        o.set("t_max_test", report(r.testDepth()));
      }
    }
    return root;
  }

  private static ObjectNode report(HopReport h) {
    ObjectNode o = Configs.mapper().createObjectNode();
    ArrayNode hops = o.putArray("hops");
    ArrayNode acc = o.putArray("accuracy");
    ArrayNode steps = o.putArray("mean_steps");
    for (int i = 0; i < h.hops().length; i++) {
      hops.add(h.hops()[i]);
      acc.add(h.accuracy()[i]);
      if (!Double.isNaN(h.meanSteps()[i])) {
        steps.add(h.meanSteps()[i]);
      }
    }
    return o;
  }

  static String fmt(double[] xs) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < xs.length; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", xs[i]));
    }
    return sb.append(']').toString();
  }
}
