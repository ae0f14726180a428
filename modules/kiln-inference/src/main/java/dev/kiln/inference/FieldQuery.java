package dev.kiln.inference;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a field model (DPF, arXiv 2303.00165) is evaluated: the query coordinates the caller asks for,
 * {@code coords [P, D]}, and the context, a fixed subset of them. The sampler's state is the signals at
 * all query coordinates, {@code x [N, P, C]}; at every model call the context signals are read from
 * the current state at the context indices, so context and queries are denoised jointly and the
 * samplers (DDPM, DDIM, …) stay unchanged. The model's inputs {@code coords}, {@code context} and
 * {@code context_coords} are filled here; {@code x} and {@code t} come from the sampler.
 *
 * @param coords query coordinates, [P·D] row-major
 * @param dimension D
 * @param context indices of the context pairs among the queries
 */
public record FieldQuery(double[] coords, int dimension, int[] context) {

  public FieldQuery {
    if (dimension < 1 || coords.length == 0 || coords.length % dimension != 0) {
      throw new IllegalArgumentException("field query: " + coords.length + " coordinate values are not a non-empty"
          + " list of " + dimension + "-D points");
    }
    int p = coords.length / dimension;
    if (context.length == 0) {
      throw new IllegalArgumentException("field query: the context needs at least one pair");
    }
    for (int c : context) {
      if (c < 0 || c >= p) {
        throw new IllegalArgumentException("field query: context index " + c + " is outside the " + p + " queries");
      }
    }
    coords = coords.clone();
    context = context.clone();
  }

  /**
   * Queries at {@code coords [P·D]} with a context of {@code min(contextSize, P)} of them drawn by
   * {@code seed}.
   */
  public static FieldQuery of(double[] coords, int dimension, int contextSize, long seed) {
    int p = coords.length / Math.max(1, dimension);
    return new FieldQuery(coords, dimension, Seeds.distinct(Seeds.rng(seed, "dpf-context", 0), p, Math.min(contextSize, p)));
  }

  /** Number of query pairs P. */
  public int pairs() {
    return coords.length / dimension;
  }

  /** The query coordinates, [P·D]. */
  @Override
  public double[] coords() {
    return coords.clone();
  }

  /** The context indices. */
  @Override
  public int[] context() {
    return context.clone();
  }

  /**
   * A model runner that adds this query's inputs to each call: {@code coords [N, P, D]} and, from the
   * state {@code x [N, P, C]} of that call, {@code context [N, K, C]} and {@code context_coords [N, K, D]}.
   */
  public Function<Map<String, Tensor>, Map<String, Tensor>> feeding(
      Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    return in -> {
      Tensor x = in.get("x");
      int n = (int) x.dim(0);
      int p = pairs();
      if (x.rank() != 3 || x.dim(1) != p) {
        throw new IllegalArgumentException("field query of " + p + " pairs handed a state of shape "
            + Arrays.toString(x.shape()) + "; expected [N, " + p + ", C]");
      }
      int ch = (int) x.dim(2);
      int k = context.length;
      Tensor q = Tensor.zeros(DType.FLOAT, n, p, dimension);
      Tensor cx = Tensor.zeros(DType.FLOAT, n, k, ch);
      Tensor cm = Tensor.zeros(DType.FLOAT, n, k, dimension);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < p * dimension; j++) {
          q.set(i * p * dimension + j, coords[j]);
        }
        for (int j = 0; j < k; j++) {
          for (int c = 0; c < ch; c++) {
            cx.set((i * k + j) * ch + c, x.getFloat((i * p + context[j]) * ch + c));
          }
          for (int c = 0; c < dimension; c++) {
            cm.set((i * k + j) * dimension + c, coords[context[j] * dimension + c]);
          }
        }
      }
      Map<String, Tensor> all = new LinkedHashMap<>(in);
      all.put("coords", q);
      all.put("context", cx);
      all.put("context_coords", cm);
      return model.apply(all);
    };
  }
}
