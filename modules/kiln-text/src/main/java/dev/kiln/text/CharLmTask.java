package dev.kiln.text;

import java.util.Optional;
import dev.kiln.spi.DataIdentity;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.GraphMetrics;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Character-level language modelling: the architecture reads {@code tokens [N, T]} (int64 ids of
 * {@link CharVocabulary}) and outputs {@code logits [N, T, vocab]}; the loss is the mean cross-entropy
 * of the next character over every position, {@code −(1/NT) Σ_{n,t} log softmax(logits[n,t])[x_{n,t+1}]}.
 * Training windows of T + 1 characters start at positions drawn from (seed, step) in the training
 * part of the corpus; evaluation scores non-overlapping held-out windows and reports bits per
 * character. Scalars the architecture marks ({@link GraphMetrics}, e.g. attention entropy) are logged
 * as metrics.
 */
public final class CharLmTask implements Task {

  private final CharLmTaskConfig config;
  private final CharCorpus corpus;

  public CharLmTask(CharLmTaskConfig config) {
    this.config = config;
    try {
      this.corpus = CharCorpus.named(config.corpus());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    if (corpus.train().length <= config.contextLength() + 1 || corpus.heldOut().length <= config.contextLength() + 1) {
      throw new ConfigException("char-lm task: corpus `" + config.corpus() + "` is too short for context_length "
          + config.contextLength());
    }
  }

  public CharCorpus corpus() {
    return corpus;
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
        || !tokens.shape().dim(1).is(config.contextLength())) {
      throw new ConfigException("char-lm task: the architecture must read int64 `tokens` [N, " + config.contextLength()
          + "] (context_length), it reads " + in);
    }
    Map<String, Value> out = architecture.build(g, in);
    Value logits = out.get("logits");
    if (logits == null || logits.rank() != 3 || logits.shape().dim(2).size() < CharVocabulary.SIZE) {
      throw new ConfigException("char-lm task: the architecture must output `logits` [N, T, vocab >= "
          + CharVocabulary.SIZE + "], it outputs " + out);
    }
    out.forEach(g::output);
    Value targets = g.input("targets", DType.INT64, Shape.batched("N", config.contextLength()));
    Value logp = g.logSoftmax(logits, -1);
    Value picked = g.gatherElements(logp, g.unsqueeze(targets, 2), 2);
    Value loss = g.neg(g.meanAll(picked));
    Map<String, Value> metrics = new LinkedHashMap<>(GraphMetrics.marked(g));
    return Objective.of(loss, metrics);
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    Tensor tokens = feeds.get("tokens");
    Tensor targets = feeds.get("targets");
    int t = config.contextLength();
    byte[] text = corpus.train();
    SplittableRandom rng = Seeds.rng(seed, "char-lm-windows", step);
    for (int n = 0; n < config.batchSize(); n++) {
      int start = rng.nextInt(text.length - t);
      for (int i = 0; i < t; i++) {
        tokens.set(n * t + i, text[start + i]);
        targets.set(n * t + i, text[start + i + 1]);
      }
    }
  }

  /** Held-out cross-entropy in bits per character ({@code heldout_bpc}) and nats ({@code heldout_loss}). */
  @Override
  public Map<String, Double> evaluate(long seed, Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    double nats = heldOutNats(model);
    return Map.of("heldout_loss", nats, "heldout_bpc", nats / Math.log(2));
  }

  /** Mean next-character cross-entropy (nats) of {@code model} over the held-out windows. */
  public double heldOutNats(Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    int t = config.contextLength();
    byte[] text = corpus.heldOut();
    int windows = Math.min(config.evalWindows(), (text.length - 1) / t);
    double total = 0;
    long count = 0;
    int batch = 64;
    for (int first = 0; first < windows; first += batch) {
      int n = Math.min(batch, windows - first);
      long[] ids = new long[n * t];
      for (int w = 0; w < n; w++) {
        for (int i = 0; i < t; i++) {
          ids[w * t + i] = text[(first + w) * t + i];
        }
      }
      Tensor logits = model.apply(Map.of("tokens", Tensor.ofLongs(ids, n, t))).get("logits");
      int vocab = (int) logits.dim(2);
      for (int w = 0; w < n; w++) {
        for (int i = 0; i < t; i++) {
          int row = (w * t + i) * vocab;
          double max = Double.NEGATIVE_INFINITY;
          for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits.get(row + v));
          }
          double sum = 0;
          for (int v = 0; v < vocab; v++) {
            sum += Math.exp(logits.get(row + v) - max);
          }
          int next = text[(first + w) * t + i + 1];
          total += max + Math.log(sum) - logits.get(row + next);
          count++;
        }
      }
    }
    return total / count;
  }

  @Override
  public List<String> exportOutputs(Architecture architecture) {
    return List.of("logits");
  }

  /** The corpus as the model reads it: the encoded training blocks, then the held-out ones. */
  @Override
  public Optional<DataIdentity> dataIdentity() {
    byte[] ids = java.util.Arrays.copyOf(corpus.train(), corpus.train().length + corpus.heldOut().length);
    System.arraycopy(corpus.heldOut(), 0, ids, corpus.train().length, corpus.heldOut().length);
    return Optional.of(DataIdentity.of(corpus.name(), ids));
  }

  @Override
  public Map<String, String> exportMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("vocabulary", "id 0 = newline, ids 1-95 = ASCII ' '..'~', id 96 = any other character");
    m.put("context_length", Integer.toString(config.contextLength()));
    m.put("corpus", config.corpus());
    return m;
  }
}
