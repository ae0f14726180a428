package dev.kiln.experiments.mast;

import dev.kiln.graph.Graph;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.Configs;
import dev.kiln.train.Trainer;
import java.nio.file.Files;
import dev.kiln.inference.ForwardSession;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Experiment;
import dev.kiln.ssl.FeatureSet;
import dev.kiln.ssl.Method;
import dev.kiln.ssl.PairUncertainty;
import dev.kiln.ssl.Pretraining;
import dev.kiln.ssl.augment.Pipeline;
import dev.kiln.ssl.data.FactorImages;
import dev.kiln.ssl.model.SslNetwork;
import dev.kiln.ssl.objective.MaskKind;
import dev.kiln.ssl.objective.Mast;
import dev.kiln.ssl.probe.FactorProbes;
import dev.kiln.experiments.hyperut.Statistics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MAST (arXiv 2303.03679) against VICReg on two factor image sets (report
 * {@code docs/reproductions/mast.md}): linear-probe accuracy per downstream task on backbone and embedding
 * features for VICReg with all augmentations, VICReg leaving out each augmentation (the per-task oracle),
 * MAST and its ablations (no uncertainty, fixed random masks, one shared mask), a random-initialised
 * encoder as the floor; the learned masks and their overlap; predicted uncertainty against augmentation
 * strength; augmentation throughput. Writes {@code results.json}, {@code summary.md} and PNG plots.
 */
public final class MastExperiment implements Experiment {

  @Override
  public String name() {
    return "mast";
  }

  @Override
  public String description() {
    return "MAST vs VICReg (all augmentations, leave-one-out, ablations) on shapes and coloured digits: linear probes per task";
  }

  @Override
  public void run(Context ctx) throws Exception {
    MastProtocol protocol = ctx.quick() ? MastProtocol.quick() : MastProtocol.full();
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : 3;
    PrintStream log = ctx.log();
    List<RunScores> all = new ArrayList<>();
    Map<String, double[][]> scatter = new LinkedHashMap<>();
    Map<String, Double> throughput = new LinkedHashMap<>();
    for (String dataset : List.of("shapes", "digits")) {
      FactorImages data = dataset.equals("shapes") ? protocol.shapesData() : protocol.digitsData();
      Pipeline pipeline = dataset.equals("shapes") ? MastProtocol.shapesPipeline() : MastProtocol.digitsPipeline();
      throughput.put(dataset + "_pairs_per_second", pairsPerSecond(data, pipeline, ctx.quick() ? 50 : 2000));
      List<MastProtocol.Run> runs = MastProtocol.runs(pipeline, dataset.equals("shapes"));
      for (int seed = 0; seed < seeds; seed++) {
        all.add(randomInit(protocol, data, pipeline, seed, ctx.backend()));
        for (MastProtocol.Run run : runs) {
          Path dir = ctx.outDir().resolve("runs").resolve(dataset).resolve(run.method().label() + "-seed" + seed);
          RunScores r = trainAndScore(protocol, data, run, seed, ctx.backend(), dir, log, seed == 0 ? scatter : null);
          all.add(r);
          log.printf(Locale.ROOT, "%s %s seed %d: mean probe accuracy backbone %.3f, embedding %.3f (%.0f s)%n",
              dataset, run.method().label(), seed, RunScores.mean(r.backbone()), RunScores.mean(r.embedding()),
              r.seconds());
        }
      }
    }
    new MastReport(protocol, seeds, all, scatter, throughput).write(ctx.outDir());
    log.println("wrote " + ctx.outDir().resolve("summary.md"));
  }

  private static RunScores trainAndScore(MastProtocol protocol, FactorImages data, MastProtocol.Run run, long seed,
      OrtBackend backend, Path dir, PrintStream log, Map<String, double[][]> scatter) throws java.io.IOException {
    SslNetwork net = protocol.network();
    Method method = run.method();
    if (method.isMast() && method.mast().masks() == MaskKind.FIXED_RANDOM) {
      method = new Method(method.label(), method.mast().withMaskSeed(seed), method.pairs());
    }
    String key = cacheKey(data.name(), method.label(), seed, protocol);
    Path cache = dir.resolve(SCORES);
    if (Files.exists(cache) && Files.exists(dir.resolve(Trainer.CHECKPOINT))) {
      CachedScores c = Configs.mapper().readValue(Files.readAllBytes(cache), CachedScores.class);
      if (c.key().equals(key)) {
        log.println("reusing the scored run in " + dir);
        return c.scores();
      }
    }
    Files.deleteIfExists(cache);
    Pretraining p = new Pretraining(net, run.pipeline(), method, protocol.batch(), protocol.steps(), protocol.lr(),
        seed);
    Pretraining.Result r = p.run(data, backend, dir, log);
    if (r.diverged()) {
      log.println(data.name() + " " + method.label() + " seed " + seed + " diverged; its probes read the last weights");
    }
    Probes probes = probe(protocol, net, r.weights(), backend, data, seed);
    double[][] masks = null;
    Map<String, Double> rho = null;
    if (method.isMast()) {
      Mast mast = new Mast(method.mast(), run.pipeline().size(), net.expander().dim());
      masks = masks(mast, r.weights(), backend);
      if (method.mast().uncertainty()) {
        rho = uncertainty(protocol, net, mast, r.weights(), backend, data, run.pipeline(), seed, method.label(),
            scatter);
      }
    }
    RunScores scores = new RunScores(data.name(), method.label(), seed, probes.backbone(), probes.embedding(),
        r.seconds(), r.augmentSeconds() / r.seconds(), r.finalLoss(), masks, rho);
    AtomicFiles.write(cache, Configs.mapper().writeValueAsBytes(new CachedScores(key, scores)));
    return scores;
  }

  private static final String SCORES = "scores.json";

  /**
   * What a cached score must match: image set, method, seed and budget (a changed method or protocol
   * under the same name needs its run folder deleted, as a changed recipe does).
   */
  static String cacheKey(String dataset, String label, long seed, MastProtocol protocol) {
    return String.format(Locale.ROOT, "%s %s seed %d steps %d batch %d", dataset, label, seed, protocol.steps(),
        protocol.batch());
  }

  /** A run's scores with the settings that produced them, so a rerun of the study reuses finished runs. */
  record CachedScores(String key, RunScores scores) {}

  /** The untrained network: the floor every method should clear. */
  private static RunScores randomInit(MastProtocol protocol, FactorImages data, Pipeline pipeline, long seed,
      OrtBackend backend) {
    SslNetwork net = protocol.network();
    Pretraining p = new Pretraining(net, pipeline, Method.vicreg("random-init"), protocol.batch(), 1, protocol.lr(),
        seed);
    Weights w = Weights.initialize(p.trainGraph(data.pictureShape()).graph(), seed);
    Probes probes = probe(protocol, net, w, backend, data, seed);
    return new RunScores(data.name(), "random-init", seed, probes.backbone(), probes.embedding(), 0, 0, Double.NaN, null, null);
  }

  /** Probe test accuracy per task on the backbone and on the embedding. */
  private record Probes(Map<String, Double> backbone, Map<String, Double> embedding) {}

  private static Probes probe(MastProtocol protocol, SslNetwork net, Weights w, OrtBackend backend,
      FactorImages data, long seed) {
    FactorProbes probes = new FactorProbes(protocol.probeTrain(), protocol.probeIterations());
    FeatureSet fTrain = FeatureSet.extract(net, w, backend, data, probes.trainIndices(data));
    FeatureSet fTest = FeatureSet.extract(net, w, backend, data, FactorProbes.testIndices(data));
    return new Probes(probes.accuracies(data, fTrain.backbone(), fTest.backbone()),
        probes.accuracies(data, fTrain.embedding(), fTest.embedding()));
  }

  /** m [K][d] as the trained graph computes it. */
  private static double[][] masks(Mast mast, Weights w, OrtBackend backend) {
    Graph g = new Graph("mast_masks");
    g.output("masks", mast.masks(g));
    try (ForwardSession s = ForwardSession.compile(g, backend, w, "masks")) {
      Tensor m = s.run(Map.of()).get("masks");
      int k = (int) m.dim(0);
      int d = (int) m.dim(1);
      double[][] out = new double[k][d];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < d; j++) {
          out[i][j] = m.get(i * d + j);
        }
      }
      return out;
    }
  }

  /**
   * Spearman ρ, per augmentation k, of the predicted log σ²_k against how much k differs in test pairs
   * that differ in k only (1 − crop overlap, flip and turn changes, colour factor distance, σ distance).
   */
  private static Map<String, Double> uncertainty(MastProtocol protocol, SslNetwork net, Mast mast, Weights w,
      OrtBackend backend, FactorImages data, Pipeline pipeline, long seed, String label,
      Map<String, double[][]> scatter) {
    Map<String, Double> rho = new LinkedHashMap<>();
    int n = Math.min(protocol.uncertaintyPairs(), data.testSize());
    long[] shape = data.pictureShape();
    int per = (int) (shape[0] * shape[1] * shape[2]);
    for (int k = 0; k < pipeline.size(); k++) {
      SplittableRandom rng = Seeds.rng(seed, "uncertainty-pairs", k);
      float[] a = new float[n * per];
      float[] b = new float[n * per];
      double[] diff = new double[n];
      for (int i = 0; i < n; i++) {
        Pipeline.Pair pair = pipeline.pairDifferingIn(data.picture(data.trainSize() + i), k, rng);
        System.arraycopy(pair.first().picture().pixels(), 0, a, i * per, per);
        System.arraycopy(pair.second().picture().pixels(), 0, b, i * per, per);
        diff[i] = pipeline.difference(k, pair.first().draws(), pair.second().draws());
      }
      float[][] s = PairUncertainty.predict(net, mast, w, backend, Tensor.of(a, n, shape[0], shape[1], shape[2]),
          Tensor.of(b, n, shape[0], shape[1], shape[2]));
      double[] sk = new double[n];
      for (int i = 0; i < n; i++) {
        sk[i] = s[i][k];
      }
      String stage = pipeline.names().get(k);
      rho.put(stage, Statistics.spearman(diff, sk));
      if (scatter != null) {
        double[][] pts = new double[n][];
        for (int i = 0; i < n; i++) {
          pts[i] = new double[] {diff[i], sk[i]};
        }
        scatter.put(data.name() + "|" + label + "|" + stage, pts);
      }
    }
    return rho;
  }

  /** Training pairs (both views, every augmentation drawn) built per second on this thread. */
  private static double pairsPerSecond(FactorImages data, Pipeline pipeline, int pairs) {
    SplittableRandom rng = new SplittableRandom(0);
    long t0 = System.nanoTime();
    double sink = 0;
    for (int i = 0; i < pairs; i++) {
      Pipeline.Pair p = pipeline.pair(data.picture(i % data.trainSize()), rng);
      sink += p.first().picture().pixels()[0];
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return sink >= 0 ? pairs / secs : Double.NaN;
  }
}
