package dev.kiln.ssl;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.ssl.augment.Picture;
import dev.kiln.ssl.augment.Pipeline;
import dev.kiln.ssl.data.FactorImages;
import dev.kiln.ssl.model.SslNetwork;
import dev.kiln.ssl.objective.Mast;
import dev.kiln.ssl.objective.Vicreg;
import dev.kiln.train.LrSchedule;
import dev.kiln.train.OptimizerConfig;
import dev.kiln.train.TrainGraph;
import dev.kiln.train.TrainStep;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Self-supervised pre-training of an {@link SslNetwork} with VICReg or MAST on the training part of a
 * {@link FactorImages} set. Each step draws {@code batch} pictures and their two views from the stream
 * (seed, "views", step), so the same settings and seed give the same weights; the loop is kiln-train's
 * {@link Trainer} (progress lines, {@code metrics.jsonl}, checkpoints in the run folder).
 *
 * @param network encoder and expander
 * @param pipeline the augmentations (K = its stages)
 * @param method the objective and pair mode
 * @param batch pairs per step
 * @param steps training steps
 * @param lr Adam's learning rate (cosine decay after 5 % warm-up)
 * @param seed run seed (weights, views, batches)
 */
public record Pretraining(SslNetwork network, Pipeline pipeline, Method method, int batch, long steps, double lr,
    long seed) {

  public static final String VIEWS = "views";
  public static final String PAIRS = "pairs";

  public Pretraining {
    if (batch < 2 || steps < 1 || !(lr > 0)) {
      throw new IllegalArgumentException("pre-training needs batch ≥ 2, steps ≥ 1 and lr > 0, got " + batch + ", "
          + steps + ", " + lr);
    }
  }

  /**
   * A finished run.
   *
   * @param weights trained parameters and buffers
   * @param seconds wall time of the loop
   * @param augmentSeconds of which drawing and augmenting views
   * @param finalLoss mean loss over the last logging window
   * @param diverged whether the loss became non-finite
   */
  public record Result(Weights weights, double seconds, double augmentSeconds, double finalLoss, boolean diverged) {}

  /** The training graph: views [2·batch, C, H, W] and pairs [batch, K] in, loss and terms out. */
  public TrainGraph trainGraph(long[] pictureShape) {
    Graph g = new Graph("ssl_" + method.label().replaceAll("[^A-Za-z0-9]+", "_"));
    Value views = g.input(VIEWS, DType.FLOAT, Shape.of(2L * batch, pictureShape[0], pictureShape[1],
        pictureShape[2]));
    int k = pipeline.size();
    Value pairs = g.input(PAIRS, DType.FLOAT, Shape.of(batch, k));
    Value z = network.apply(g, views, true).embedding();
    Map<String, Value> metrics = new LinkedHashMap<>();
    Value loss = loss(g, method, k, batch, z, pairs, metrics);
    return TrainGraph.of(g, loss, metrics);
  }

  /**
   * The objective of {@code method} on embeddings {@code z [2·batch, d]} (first views, then second views)
   * and pair weights {@code pairs [batch, K]}; its terms go into {@code metrics}.
   */
  public static Value loss(Graph g, Method method, int k, int batch, Value z, Value pairs, Map<String, Value> metrics) {
    Value z1 = g.slice(z, 0, 0, batch);
    Value z2 = g.slice(z, 0, batch, 2L * batch);
    if (method.isMast()) {
      Mast.Terms t = new Mast(method.mast(), k, z.shape().dim(1).size()).loss(g, z1, z2, pairs);
      metrics.put("invariance", t.invariance());
      metrics.put("variance", t.variance());
      metrics.put("covariance", t.covariance());
      metrics.put("mask_mean", t.maskMean());
      return t.loss();
    }
    Vicreg.Terms t = Vicreg.standard().loss(g, z1, z2);
    metrics.put("invariance", t.invariance());
    metrics.put("variance", t.variance());
    metrics.put("covariance", t.covariance());
    return t.loss();
  }

  /** Trains in {@code runDir} (resuming from its checkpoint if any), progress to {@code log}. */
  public Result run(FactorImages data, OrtBackend backend, Path runDir, PrintStream log) throws IOException {
    TrainGraph tg = trainGraph(data.pictureShape());
    Weights weights = Weights.initialize(tg.graph(), seed);
    long[] augmentNanos = {0};
    Trainer.BatchSource source = (step, feeds) -> {
      long t0 = System.nanoTime();
      fill(data, step, feeds.get(VIEWS), feeds.get(PAIRS));
      augmentNanos[0] += System.nanoTime() - t0;
    };
    try (TrainStep step = TrainStep.compile(tg, backend, Map.of(), weights)) {
      TrainerConfig tc = new TrainerConfig(steps, (int) Math.max(1, Math.min(50, steps / 10)), null, null, null, null,
          0.0);
      Trainer trainer = new Trainer(step, OptimizerConfig.adam(lr), LrSchedule.cosine((int) (steps / 20), 0.0), tc,
          source, runDir, seed, Map.of("method", method.label()));
      trainer.progress(log, method.label() + " seed " + seed);
      long t0 = System.nanoTime();
      Trainer.Result r = trainer.fit();
      double secs = (System.nanoTime() - t0) / 1e9;
      return new Result(r.weights().copy(), secs, augmentNanos[0] / 1e9, r.finalLoss(), r.diverged());
    }
  }

  /**
   * Step {@code step}'s views [2·batch, C, H, W] (first views, then second views) and pair weights
   * [batch, K] ({@code pairs} may be null: VICReg's graph does not read them).
   */
  public void fill(FactorImages data, long step, Tensor views, Tensor pairs) {
    fill(data, pipeline, method, batch, seed, step, views, pairs);
  }

  /** As {@link #fill(FactorImages, long, Tensor, Tensor)} for a run of {@code seed} with these settings. */
  public static void fill(FactorImages data, Pipeline pipeline, Method method, int batch, long seed, long step,
      Tensor views, Tensor pairs) {
    SplittableRandom rng = Seeds.rng(seed, "views", step);
    int k = pipeline.size();
    int per = data.picture(0).pixels().length;
    FloatBuffer v = views.floats();
    FloatBuffer w = pairs == null ? null : pairs.floats();
    for (int i = 0; i < batch; i++) {
      Picture p = data.picture(rng.nextInt(data.trainSize()));
      Pipeline.Pair pair = method.pairs() == Method.PairMode.ONE_AUGMENTATION
          ? pipeline.pairDifferingIn(p, rng.nextInt(k), rng) : pipeline.pair(p, rng);
      v.put(i * per, pair.first().picture().pixels());
      v.put((batch + i) * per, pair.second().picture().pixels());
      for (int j = 0; w != null && j < k; j++) {
        w.put(i * k + j, pair.stage() < 0 || pair.stage() == j ? 1f : 0f);
      }
    }
  }
}
