package dev.kiln.transformers.tasks;

import java.util.Optional;
import dev.kiln.spi.DataIdentity;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
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
 * Classification of C-PVR sequences ({@link Cpvr}) from the CLS token, trained on some hop counts and
 * evaluated on each hop count separately (Hyper-UT, arXiv 2310.08866; report
 * {@code docs/reproductions/hyper-ut.md}). Architectures read {@code tokens [N, L]} (int64) and
 * output {@code logits [N, L]}; with adaptive depth also {@code ponder [N]} and {@code steps [N]},
 * whose mean the loss adds with weight τ ({@code ponder_weight}) and evaluation reports per hop.
 *
 * <p>Training draws fresh examples every step (hop count uniform over {@code train_hops}) from
 * (seed, step); test examples come from {@code test_seed}, so every model and seed is scored on the
 * same sequences.
 */
public final class CpvrTask implements Task {

  private static final int EVAL_BATCH = 500;

  private final CpvrTaskConfig config;
  private final Cpvr cpvr;

  public CpvrTask(CpvrTaskConfig config) {
    this.config = config;
    this.cpvr = new Cpvr(config.length(), config.spreadChainEnd());
  }

  public CpvrTaskConfig config() {
    return config;
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public Objective objective(Graph g, Architecture architecture) {
    Map<String, Value> in = architecture.declareInputs(g);
    Value tokens = in.get("tokens");
    if (tokens == null || tokens.dtype() != DType.INT64 || tokens.rank() != 2
        || tokens.shape().dim(1).size() != config.length()) {
      throw new ConfigException("cpvr task: the architecture must read int64 `tokens` [N, " + config.length()
          + "] (its `length` must equal the task's), it reads " + in.values());
    }
    return PonderObjective.build(g, architecture, in, config.length(), config.ponderWeight(), "cpvr task");
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    SplittableRandom rng = Seeds.rng(seed, "cpvr-train", step);
    Tensor tokens = feeds.get("tokens");
    Tensor label = feeds.get("label");
    List<Integer> hops = config.trainHops();
    int n = (int) label.dim(0);
    int length = config.length();
    for (int i = 0; i < n; i++) {
      Cpvr.Example e = cpvr.sample(hops.get(rng.nextInt(hops.size())), rng);
      for (int j = 0; j < length; j++) {
        tokens.set(i * length + j, e.tokens()[j]);
      }
      label.set(i, e.label());
    }
  }

  /** Accuracy and mean steps per test hop count, as flat metrics. */
  @Override
  public Map<String, Double> evaluate(long seed, Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    return evaluatePerHop(model).metrics(config.trainHops());
  }

  /** Generated sequences: identified by the test sets' tokens, hop count by hop count. */
  @Override
  public Optional<DataIdentity> dataIdentity() {
    java.util.stream.LongStream.Builder all = java.util.stream.LongStream.builder();
    for (int hops : config.testHops()) {
      List<Cpvr.Example> set = testSet(hops);
      for (long v : tokens(set, 0, set.size()).toLongArray()) {
        all.add(v);
      }
    }
    return Optional.of(DataIdentity.ofDraw("cpvr-" + config.length(), all.build().toArray()));
  }

  /** The {@code test_examples} test sequences with {@code hops} hops. */
  public List<Cpvr.Example> testSet(int hops) {
    SplittableRandom rng = Seeds.rng(config.testSeed(), "cpvr-test", hops);
    return java.util.stream.Stream.generate(() -> cpvr.sample(hops, rng)).limit(config.testExamples()).toList();
  }

  /** Tokens {@code [n, L]} of {@code examples[from, from + n)}. */
  public Tensor tokens(List<Cpvr.Example> examples, int from, int n) {
    int length = config.length();
    long[] data = new long[n * length];
    for (int i = 0; i < n; i++) {
      int[] x = examples.get(from + i).tokens();
      for (int j = 0; j < length; j++) {
        data[i * length + j] = x[j];
      }
    }
    return Tensor.ofLongs(data, n, length);
  }

  /** Scores {@code model} (tokens → logits and, if it has them, steps) on every test hop count. */
  public HopReport evaluatePerHop(Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    List<Integer> hopList = config.testHops();
    int[] hops = hopList.stream().mapToInt(Integer::intValue).toArray();
    double[] accuracy = new double[hops.length];
    double[] steps = new double[hops.length];
    for (int h = 0; h < hops.length; h++) {
      List<Cpvr.Example> set = testSet(hops[h]);
      int correct = 0;
      double stepSum = 0;
      boolean hasSteps = true;
      for (int start = 0; start < set.size(); start += EVAL_BATCH) {
        int n = Math.min(EVAL_BATCH, set.size() - start);
        Map<String, Tensor> out = model.apply(Map.of("tokens", tokens(set, start, n)));
        int[] predicted = argmax(out.get("logits"));
        Tensor s = out.get("steps");
        hasSteps &= s != null;
        for (int i = 0; i < n; i++) {
          if (predicted[i] == set.get(start + i).label()) {
            correct++;
          }
          if (s != null) {
            stepSum += s.get(i);
          }
        }
      }
      accuracy[h] = (double) correct / set.size();
      steps[h] = hasSteps ? stepSum / set.size() : Double.NaN;
    }
    return new HopReport(hops, accuracy, steps, config.testExamples());
  }

  /** Row-wise arg-max of {@code logits [n, C]}. */
  static int[] argmax(Tensor logits) {
    int n = (int) logits.dim(0);
    int c = (int) logits.dim(1);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int k = 1; k < c; k++) {
        if (logits.get(i * c + k) > logits.get(i * c + best)) {
          best = k;
        }
      }
      out[i] = best;
    }
    return out;
  }
}
