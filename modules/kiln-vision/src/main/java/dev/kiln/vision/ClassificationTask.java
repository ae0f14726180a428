package dev.kiln.vision;

import java.util.Optional;
import dev.kiln.spi.DataIdentity;
import dev.kiln.data.Batcher;
import dev.kiln.data.MnistDigits;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Losses;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Supervised classification of MNIST digits with cross-entropy. Training images are shifted by up
 * to {@code augment_shift} pixels (zero fill), drawn from (seed, step); evaluation reports accuracy
 * on the held-out split. Architectures read flattened images {@code x [N, 784]} with pixels scaled
 * to [-1, 1].
 */
public final class ClassificationTask implements Task {

  private final ClassificationTaskConfig config;
  private final MnistDigits digits = MnistDigits.load();
  private Batcher batcher;

  public ClassificationTask(ClassificationTaskConfig config) {
    if (!config.data().equalsIgnoreCase("mnist")) {
      throw new ConfigException("classification task: field `data` must be mnist, got `" + config.data() + "`");
    }
    this.config = config;
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public Objective objective(Graph g, Architecture architecture) {
    Map<String, Value> in = architecture.declareInputs(g);
    Value x = in.get("x");
    if (x == null || x.shape().slice(1, x.rank()).size() != MnistDigits.PIXELS) {
      throw new ConfigException("classification task: the architecture must read `x` with 784 values per image,"
          + " it reads " + in);
    }
    Map<String, Value> out = architecture.build(g, in);
    Value logits = out.get("logits");
    if (logits == null) {
      throw new ConfigException("classification task: the architecture must output `logits`");
    }
    out.forEach(g::output);
    Value label = g.input("label", dev.kiln.graph.DType.INT64, dev.kiln.graph.Shape.batched("N"));
    return Objective.of(Losses.crossEntropy(g, logits, label), Map.of("accuracy", Losses.accuracy(g, logits, label)));
  }

  @Override
  public List<String> exportOutputs(Architecture architecture) {
    return architecture.outputs();
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    MnistDigits.Split train = digits.train();
    if (batcher == null || batcher.seed() != seed) {
      batcher = new Batcher(train.size(), config.batchSize(), seed);
    }
    int[] idx = batcher.indices(step - 1);
    Tensor x = feeds.get("x");
    Tensor label = feeds.get("label");
    SplittableRandom rng = Seeds.rng(seed, "augment", step);
    float[] img = new float[MnistDigits.PIXELS];
    int s = config.augmentShift();
    for (int i = 0; i < idx.length; i++) {
      train.copyImage(idx[i], img, 0);
      int dy = s == 0 ? 0 : rng.nextInt(2 * s + 1) - s;
      int dx = s == 0 ? 0 : rng.nextInt(2 * s + 1) - s;
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          int sr = r - dy;
          int sc = c - dx;
          float v = sr >= 0 && sr < 28 && sc >= 0 && sc < 28 ? img[sr * 28 + sc] : 0f;
          x.set(i * MnistDigits.PIXELS + r * 28 + c, 2 * v - 1);
        }
      }
      label.set(i, train.label(idx[i]));
    }
  }

  /** Test-split accuracy of {@code model}'s logits. */
  @Override
  public Optional<DataIdentity> dataIdentity() {
    return Optional.of(DataIdentity.of(MnistDigits.NAME, digits.content()));
  }

  @Override
  public Map<String, Double> evaluate(long seed, Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    return Map.of("test_accuracy", accuracy(digits.test(), model));
  }

  /** Accuracy of {@code model} on a split, in batches of 500. */
  public static double accuracy(MnistDigits.Split split, Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    int correct = 0;
    for (int start = 0; start < split.size(); start += 500) {
      int n = Math.min(500, split.size() - start);
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = start + i;
      }
      Tensor logits = model.apply(Map.of("x", split.flat(idx, MnistDigits.Scale.SYMMETRIC))).get("logits");
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
          if (logits.getFloat(i * 10 + k) > logits.getFloat(i * 10 + best)) {
            best = k;
          }
        }
        if (best == split.label(idx[i])) {
          correct++;
        }
      }
    }
    return (double) correct / split.size();
  }
}
