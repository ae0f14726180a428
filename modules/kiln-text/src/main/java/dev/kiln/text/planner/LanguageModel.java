package dev.kiln.text.planner;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.GenerationControl;
import dev.kiln.text.bpe.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * An exported plain language model ({@link LatentPrefixDecoder} with k = 0) that reads a control token
 * first: PLANNER's autoregressive baseline (control token = attribute) and the judge that scores
 * generations (always "no attribute"). Folder: {@code lm.onnx}, {@code lm_prefill.onnx},
 * {@code lm_step.onnx}, {@code tokenizer.bpe}, {@code model.properties}.
 */
public final class LanguageModel implements AutoCloseable {

  public static final String KIND = "language-model";

  private final PlannerConfig config;
  private final PlannerText text;
  private final Session whole;
  private final Session prefill;
  private final Session step;

  private LanguageModel(PlannerConfig config, PlannerText text, Session whole, Session prefill, Session step) {
    this.config = config;
    this.text = text;
    this.whole = whole;
    this.prefill = prefill;
    this.step = step;
  }

  /** Writes a model folder from trained weights. */
  public static void export(Path dir, PlannerConfig c, BpeTokenizer tokenizer, Weights weights,
      Map<String, String> metadata) throws IOException {
    Files.createDirectories(dir);
    PlannerConfig lm = c.withLatents(0);
    tokenizer.write(dir.resolve(Planner.TOKENIZER));
    DecoderFiles.write(dir, "lm", lm, weights, metadata);
    DecoderFiles.writeProperties(dir, lm, KIND);
  }

  /** Loads a folder {@link #export} wrote. */
  public static LanguageModel load(Path dir, OrtBackend backend) throws IOException {
    PlannerConfig c = DecoderFiles.readProperties(dir, KIND);
    PlannerText text = new PlannerText(BpeTokenizer.read(dir.resolve(Planner.TOKENIZER)), c.length(), c.classes());
    return new LanguageModel(c, text, DecoderFiles.load(backend, dir.resolve("lm.onnx")),
        DecoderFiles.load(backend, dir.resolve("lm_prefill.onnx")),
        DecoderFiles.load(backend, dir.resolve("lm_step.onnx")));
  }

  public PlannerConfig config() {
    return config;
  }

  public PlannerText text() {
    return text;
  }

  /**
   * Continues each row: the control token of {@code labels[r]} ({@code classes} = none), then
   * {@code prompts[r]} (null: none), then generated tokens, which are returned.
   */
  public int[][] generate(int[] labels, int[][] prompts, CachedDecoding.Choice choice, RandomGenerator rng) {
    return generate(labels, prompts, choice, rng, GenerationControl.alone());
  }

  /**
   * {@link #generate(int[], int[][], CachedDecoding.Choice, RandomGenerator)} with the decoder's calls run
   * through {@code control} (calls {@code "decoder-prefill"} and {@code "decoder-step"}).
   */
  public int[][] generate(int[] labels, int[][] prompts, CachedDecoding.Choice choice, RandomGenerator rng,
      GenerationControl control) {
    int[] first = new int[labels.length];
    for (int r = 0; r < labels.length; r++) {
      first[r] = text.control(labels[r]);
    }
    return new CachedDecoding(prefill::run, step::run, config.layers(), text.specialCount(), config.length() - 1)
        .decode(null, first, prompts, choice, rng, control);
  }

  /**
   * Scores continuations: for each row, the summed negative log-likelihood (nats) of
   * {@code continuation[r]} and {@code <eos>} after {@code <noattr>} and {@code context[r]}, and the
   * number of tokens scored; plus the mean final state over the scored positions (features).
   *
   * @return per row {nll, count}; {@code features} filled with [rows·dim] when not null
   */
  public double[][] score(int[][] context, int[][] continuation, float[] features) {
    int len = config.length();
    int dim = config.dim();
    int n = continuation.length;
    double[][] out = new double[n][2];
    for (int from = 0; from < n; from += 128) {
      int b = Math.min(128, n - from);
      long[] ids = new long[b * len];
      int[][] targets = new int[b][];
      int[] starts = new int[b];
      for (int r = 0; r < b; r++) {
        int[] ctx = context == null || context[from + r] == null ? new int[0] : context[from + r];
        int[] cont = continuation[from + r];
        int[] seq = new int[Math.min(len, 1 + ctx.length + cont.length + 1)];
        seq[0] = text.control(config.classes());
        int k = 1;
        for (int t : ctx) {
          if (k < seq.length) {
            seq[k++] = t;
          }
        }
        starts[r] = Math.min(k, seq.length - 1);
        for (int t : cont) {
          if (k < seq.length) {
            seq[k++] = t;
          }
        }
        if (k < seq.length) {
          seq[k] = PlannerText.EOS;
        }
        targets[r] = seq;
        for (int i = 0; i < len; i++) {
          ids[r * len + i] = i < seq.length ? seq[i] : PlannerText.PAD;
        }
      }
      Map<String, Tensor> res = whole.run(Map.of("tokens", Tensor.ofLongs(ids, b, len)));
      Tensor logits = res.get("logits");
      Tensor states = res.get("states");
      int vocab = (int) logits.dim(2);
      for (int r = 0; r < b; r++) {
        int[] seq = targets[r];
        double nll = 0;
        int count = 0;
        double[] mean = new double[dim];
        for (int i = starts[r] - 1; i + 1 < seq.length; i++) {
          int row = (r * len + i) * vocab;
          double max = Double.NEGATIVE_INFINITY;
          for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits.getFloat(row + v));
          }
          double sum = 0;
          for (int v = 0; v < vocab; v++) {
            sum += Math.exp(logits.getFloat(row + v) - max);
          }
          nll += max + Math.log(sum) - logits.getFloat(row + seq[i + 1]);
          count++;
          for (int j = 0; j < dim; j++) {
            mean[j] += states.getFloat((r * len + i) * dim + j);
          }
        }
        out[from + r][0] = nll;
        out[from + r][1] = count;
        if (features != null) {
          for (int j = 0; j < dim; j++) {
            features[(from + r) * dim + j] = (float) (mean[j] / Math.max(1, count));
          }
        }
      }
    }
    return out;
  }

  /** Rows of the generated tokens decoded to text. */
  public String[] texts(int[][] tokens) {
    return Arrays.stream(tokens).map(text::decode).toArray(String[]::new);
  }

  @Override
  public void close() {
    whole.close();
    prefill.close();
    step.close();
  }
}
