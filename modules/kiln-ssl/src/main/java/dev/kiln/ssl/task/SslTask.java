package dev.kiln.ssl.task;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.DataIdentity;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import dev.kiln.ssl.Method;
import dev.kiln.ssl.Pretraining;
import dev.kiln.ssl.augment.Pipeline;
import dev.kiln.ssl.data.ColouredDigits;
import dev.kiln.ssl.data.FactorImages;
import dev.kiln.ssl.data.ShapeScenes;
import dev.kiln.ssl.model.Expander;
import dev.kiln.ssl.model.SslArchitecture;
import dev.kiln.ssl.objective.MastConfig;
import dev.kiln.ssl.probe.FactorProbes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code "ssl"}: self-supervised pre-training of an {@code ssl-resnet} encoder with MAST (arXiv 2303.03679)
 * or VICReg, as {@link Pretraining} runs it, so that {@code kiln train} trains it from a recipe and
 * {@code kiln export} writes the encoder, {@code x [N, 3, 16, 16]} → {@code features [N, F]}. Each step feeds
 * 2·batch views, {@code x} (first views, then second views, drawn from (seed, "views", step)), and the
 * pairs' augmentation weights {@code pairs [batch, K]}; the task adds the expander and the objective.
 *
 * <p>{@link #evaluate} is the MAST study's linear evaluation ({@code docs/reproductions/mast.md}): per factor
 * of the image set a logistic-regression probe fitted on the frozen features of the first
 * {@code probe_train} training pictures, its accuracy on the whole test part, and their mean.
 */
public final class SslTask implements Task {

  private final SslTaskConfig config;
  private final Method method;
  private final Pipeline pipeline;
  private FactorImages data;

  public SslTask(SslTaskConfig config) {
    this.config = config;
    this.method = config.objective().equals("vicreg") ? Method.vicreg("vicreg")
        : Method.mast(config.uncertainty() ? "mast" : "mast-no-uncertainty",
            MastConfig.standard().withUncertainty(config.uncertainty()));
    this.pipeline = config.data().equals("shapes") ? Pipeline.forSmallShapes() : Pipeline.forSmallDigits();
  }

  /** The pictures, generated once: the study's sets (16 pixels, data seed 0). */
  public FactorImages data() {
    if (data == null) {
      data = config.data().equals("shapes") ? ShapeScenes.generate(4000, 16, 0)
          : ColouredDigits.generate(3000, 800, 16, 0);
    }
    return data;
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public Map<String, Long> dimensionSizes() {
    return Map.of("N", 2L * config.batchSize());
  }

  @Override
  public Objective objective(Graph g, Architecture architecture) {
    if (!(architecture instanceof SslArchitecture arch)) {
      throw new ConfigException("ssl task: the architecture must be ssl-resnet (an encoder of pictures), got "
          + architecture.getClass().getSimpleName());
    }
    long[] shape = data().pictureShape();
    if (!Arrays.equals(arch.pictureShape(), shape)) {
      throw new ConfigException("ssl task: data " + config.data() + " has pictures " + Arrays.toString(shape)
          + " but the architecture reads " + Arrays.toString(arch.pictureShape()) + "; set `channels` and `side`"
          + " to match");
    }
    Map<String, Value> in = architecture.declareInputs(g);
    Value features = architecture.build(g, in).get("features");
    g.output("features", features);
    int batch = config.batchSize();
    int k = pipeline.size();
    // The expander's batch statistics need a static batch: the views of one step, 2·batch of them.
    Value f = g.reshape(features, 2L * batch, arch.encoder().features());
    Value z = new Expander(arch.encoder().features(), config.expander()).apply(g, f, true);
    Value pairs = g.input(Pretraining.PAIRS, DType.FLOAT, Shape.of(batch, k));
    Map<String, Value> metrics = new LinkedHashMap<>();
    Value loss = Pretraining.loss(g, method, k, batch, z, pairs, metrics);
    return Objective.of(loss, metrics);
  }

  @Override
  public List<String> exportOutputs(Architecture architecture) {
    return List.of("features");
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    Pretraining.fill(data(), pipeline, method, config.batchSize(), seed, step, feeds.get("x"),
        feeds.get(Pretraining.PAIRS));
  }

  @Override
  public Map<String, Double> evaluate(long seed, Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    FactorImages d = data();
    FactorProbes probes = new FactorProbes(config.probeTrain(), config.probeIterations());
    Map<String, Double> accuracy = probes.accuracies(d, features(d, probes.trainIndices(d), model),
        features(d, FactorProbes.testIndices(d), model));
    Map<String, Double> out = new LinkedHashMap<>();
    accuracy.forEach((task, a) -> out.put(task + "_accuracy", a));
    out.put("mean_accuracy", accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
    return out;
  }

  /** {@code features} of pictures {@code indices}, 256 at a time. */
  private static float[][] features(FactorImages d, int[] indices,
      Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    float[][] rows = new float[indices.length][];
    for (int start = 0; start < indices.length; start += 256) {
      int[] chunk = Arrays.copyOfRange(indices, start, Math.min(indices.length, start + 256));
      Tensor f = model.apply(Map.of("x", d.images(chunk))).get("features");
      int width = (int) f.dim(1);
      float[] all = f.toFloatArray();
      for (int i = 0; i < chunk.length; i++) {
        rows[start + i] = Arrays.copyOfRange(all, i * width, (i + 1) * width);
      }
    }
    return rows;
  }

  @Override
  public Optional<DataIdentity> dataIdentity() {
    FactorImages d = data();
    int per = d.picture(0).pixels().length;
    double[] values = new double[d.size() * (per + d.factors().size())];
    int at = 0;
    for (int i = 0; i < d.size(); i++) {
      for (float v : d.picture(i).pixels()) {
        values[at++] = v;
      }
      for (int f = 0; f < d.factors().size(); f++) {
        values[at++] = d.label(f, i);
      }
    }
    return Optional.of(DataIdentity.ofDraw(config.data(), values));
  }

  @Override
  public Map<String, String> exportMetadata() {
    return Map.of("kiln_task", "ssl", "ssl_objective", method.label(), "ssl_factors",
        String.join(",", data().factors().stream().map(dev.kiln.ssl.data.Factor::name).toList()));
  }
}
