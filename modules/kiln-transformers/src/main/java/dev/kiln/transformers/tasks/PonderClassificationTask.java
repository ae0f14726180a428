package dev.kiln.transformers.tasks;

import java.util.Optional;
import dev.kiln.spi.DataIdentity;
import dev.kiln.data.MnistDigits;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import dev.kiln.vision.ClassificationTask;
import dev.kiln.vision.ClassificationTaskConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * MNIST digit classification (the data and augmentation of {@link ClassificationTask}) with the
 * ponder cost of adaptive-depth architectures added to the loss, and test accuracy and mean steps
 * per digit reported; for HyperU-ViT against ViT ({@code docs/reproductions/hyper-ut.md}).
 */
public final class PonderClassificationTask implements Task {

  private final PonderClassificationTaskConfig config;
  private final ClassificationTask data;
  private final MnistDigits digits = MnistDigits.load();

  public PonderClassificationTask(PonderClassificationTaskConfig config) {
    this.config = config;
    this.data = new ClassificationTask(new ClassificationTaskConfig(config.data(), config.batchSize(),
        config.augmentShift()));
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
      throw new ConfigException("ponder-classification task: the architecture must read `x` with 784 values per"
          + " image, it reads " + in);
    }
    return PonderObjective.build(g, architecture, in, MnistDigits.CLASSES, config.ponderWeight(),
        "ponder-classification task");
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    data.fill(seed, step, feeds);
  }

  /** Test accuracy and, for adaptive depth, mean steps over the test digits and per digit class. */
  @Override
  public Optional<DataIdentity> dataIdentity() {
    return data.dataIdentity();
  }

  @Override
  public Map<String, Double> evaluate(long seed, Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    MnistDigits.Split test = digits.test();
    int correct = 0;
    double[] stepSum = new double[MnistDigits.CLASSES];
    int[] count = new int[MnistDigits.CLASSES];
    boolean hasSteps = true;
    for (int start = 0; start < test.size(); start += 500) {
      int n = Math.min(500, test.size() - start);
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = start + i;
      }
      Map<String, Tensor> out = model.apply(Map.of("x", test.flat(idx, MnistDigits.Scale.SYMMETRIC)));
      int[] predicted = CpvrTask.argmax(out.get("logits"));
      Tensor steps = out.get("steps");
      hasSteps &= steps != null;
      for (int i = 0; i < n; i++) {
        int label = test.label(idx[i]);
        correct += predicted[i] == label ? 1 : 0;
        count[label]++;
        stepSum[label] += steps == null ? 0 : steps.get(i);
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("test_accuracy", (double) correct / test.size());
    if (hasSteps) {
      double all = 0;
      for (int c = 0; c < MnistDigits.CLASSES; c++) {
        all += stepSum[c];
        m.put("test_steps_digit_" + c, stepSum[c] / count[c]);
      }
      m.put("test_steps", all / test.size());
    }
    return m;
  }
}
