package dev.kiln.text.planner;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.GenerationControl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Token-by-token decoding of a {@link LatentPrefixDecoder} through its prefill and step models: the
 * prefill reads the latent (if any) and the first token and returns the KV cache; each step feeds one
 * token and extends the cache, so a paragraph of T tokens costs T single-position runs. A row may be
 * given tokens to read before generating (a completion prompt); generation then picks greedily or by
 * nucleus sampling (top-k, then the smallest set of top-p mass; Holtzman et al., arXiv 1904.09751) among
 * the text tokens and {@code <eos>}, and a row stops at {@code <eos>}.
 *
 * @param prefill inputs {@code latent} (k > 0) and {@code first} [N, 1] → {@code logits}, {@code key<l>},
 *     {@code value<l>}
 * @param step inputs {@code token} [N, 1], {@code past_key<l>}, {@code past_value<l>} → the same outputs
 * @param layers decoder blocks
 * @param specials ids below this (except {@code <eos>}) are never generated
 * @param positions tokens the decoder can read after the first (L − 1)
 */
public record CachedDecoding(Function<Map<String, Tensor>, Map<String, Tensor>> prefill,
    Function<Map<String, Tensor>, Map<String, Tensor>> step, int layers, int specials, int positions) {

  /**
   * How the next token is chosen.
   *
   * @param topP nucleus mass; 0 is greedy
   * @param topK candidates before the nucleus cut (0: all)
   */
  public record Choice(double topP, int topK) {

    public static final Choice GREEDY = new Choice(0, 0);

    public Choice {
      if (!(topP >= 0 && topP <= 1) || topK < 0) {
        throw new IllegalArgumentException("nucleus sampling needs top_p in [0, 1] and top_k >= 0, got " + topP
            + " and " + topK);
      }
    }

    /** The paper's fine-tuned GPT-2 baseline setting: top-k 50, top-p 0.92. */
    public static Choice nucleus() {
      return new Choice(0.92, 50);
    }

    public boolean greedy() {
      return topP == 0;
    }
  }

  /**
   * Decodes one batch.
   *
   * @param latent [N, k, h], or null for a decoder without latent
   * @param first the first token of each row (BOS or a control token)
   * @param forced tokens each row reads after the first before generating (null: none)
   * @param choice greedy or nucleus
   * @param rng draws of nucleus sampling
   * @return the generated tokens of each row, without the forced ones and without {@code <eos>}
   */
  public int[][] decode(Tensor latent, int[] first, int[][] forced, Choice choice, RandomGenerator rng) {
    int n = first.length;
    long[] firstIds = new long[n];
    for (int r = 0; r < n; r++) {
      firstIds[r] = first[r];
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    if (latent != null) {
      in.put("latent", latent);
    }
    in.put("first", Tensor.ofLongs(firstIds, n, 1));
    Map<String, Tensor> out = prefill.apply(in);
    List<List<Integer>> generated = new ArrayList<>();
    boolean[] done = new boolean[n];
    for (int r = 0; r < n; r++) {
      generated.add(new ArrayList<>());
    }
    for (int pos = 0; pos < positions; pos++) {
      Tensor logits = out.get("logits");
      int vocab = (int) logits.dim(1);
      long[] next = new long[n];
      boolean anyLeft = false;
      for (int r = 0; r < n; r++) {
        int[] f = forced == null ? null : forced[r];
        if (f != null && pos < f.length) {
          next[r] = f[pos];
          anyLeft = true;
          continue;
        }
        if (done[r]) {
          next[r] = PlannerText.EOS;
          continue;
        }
        int t = choose(logits, r, vocab, choice, rng);
        next[r] = t;
        if (t == PlannerText.EOS) {
          done[r] = true;
        } else {
          generated.get(r).add(t);
          anyLeft = true;
        }
      }
      if (!anyLeft || pos == positions - 1) {
        break;
      }
      Map<String, Tensor> s = new LinkedHashMap<>();
      s.put("token", Tensor.ofLongs(next, n, 1));
      for (int l = 0; l < layers; l++) {
        s.put("past_key" + l, out.get("key" + l));
        s.put("past_value" + l, out.get("value" + l));
      }
      out = step.apply(s);
    }
    int[][] result = new int[n][];
    for (int r = 0; r < n; r++) {
      result[r] = generated.get(r).stream().mapToInt(Integer::intValue).toArray();
    }
    return result;
  }

  /**
   * {@link #decode(Tensor, int[], int[][], Choice, RandomGenerator)} with its model calls run through
   * {@code control}: the prefill as call {@code "decoder-prefill"}, the single-token steps as one loop
   * of call {@code "decoder-step"}, so that a server merges them with concurrent requests' calls. Every
   * row depends on its own latent, tokens and cache only, and the choice of the next token stays on this
   * side (with {@code rng}), so the tokens are the ones decoded alone.
   */
  public int[][] decode(Tensor latent, int[] first, int[][] forced, Choice choice, RandomGenerator rng,
      GenerationControl control) {
    Set<String> outputs = new java.util.LinkedHashSet<>();
    outputs.add("logits");
    for (int l = 0; l < layers; l++) {
      outputs.add("key" + l);
      outputs.add("value" + l);
    }
    GenerationControl.StepCalls[] steps = new GenerationControl.StepCalls[1];
    try {
      CachedDecoding routed = new CachedDecoding(in -> {
        try (GenerationControl.StepCalls p = control.steps("decoder-prefill", (i, o) -> prefill.apply(i), 1)) {
          return p.run(in, outputs);
        }
      }, in -> {
        if (steps[0] == null) {
          steps[0] = control.steps("decoder-step", (i, o) -> step.apply(i), Math.max(1, positions - 1));
        }
        return steps[0].run(in, outputs);
      }, layers, specials, positions);
      return routed.decode(latent, first, forced, choice, rng);
    } finally {
      if (steps[0] != null) {
        steps[0].close();
      }
    }
  }

  private int choose(Tensor logits, int row, int vocab, Choice choice, RandomGenerator rng) {
    int base = row * vocab;
    if (choice.greedy()) {
      int best = PlannerText.EOS;
      double bestValue = logits.getFloat(base + best);
      for (int v = specials; v < vocab; v++) {
        double x = logits.getFloat(base + v);
        if (x > bestValue) {
          best = v;
          bestValue = x;
        }
      }
      return best;
    }
    Integer[] ids = new Integer[vocab - specials + 1];
    ids[0] = PlannerText.EOS;
    for (int v = specials; v < vocab; v++) {
      ids[v - specials + 1] = v;
    }
    Arrays.sort(ids, (a, b) -> Float.compare(logits.getFloat(base + b), logits.getFloat(base + a)));
    int k = choice.topK() == 0 ? ids.length : Math.min(choice.topK(), ids.length);
    double max = logits.getFloat(base + ids[0]);
    double[] p = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      p[i] = Math.exp(logits.getFloat(base + ids[i]) - max);
      sum += p[i];
    }
    double mass = 0;
    int keep = 0;
    while (keep < k && mass < choice.topP()) {
      mass += p[keep] / sum;
      keep++;
    }
    double u = rng.nextDouble() * mass * sum;
    for (int i = 0; i < keep; i++) {
      u -= p[i];
      if (u <= 0) {
        return ids[i];
      }
    }
    return ids[keep - 1];
  }

  /** latent rows as a tensor [n, k, h]. */
  public static Tensor latentTensor(float[] values, int n, int k, int h) {
    Tensor t = Tensor.zeros(DType.FLOAT, n, k, h);
    for (int i = 0; i < n * k * h; i++) {
      t.set(i, values[i]);
    }
    return t;
  }
}
