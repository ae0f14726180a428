package dev.kiln.diffusion.fields;

import dev.kiln.graph.DType;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.inference.Domain;
import dev.kiln.nn.Activation;
import dev.kiln.nn.LayerNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Mlp;
import dev.kiln.nn.MultiHeadAttention;
import dev.kiln.nn.SinusoidalEmbedding;
import dev.kiln.nn.TransformerBlock;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * The field denoiser of DPF (arXiv 2303.00165): a PerceiverIO over sets of (coordinate, signal) pairs.
 * It predicts the noise of the query signals, {@code ε̂_θ(C_t, t, Q_t) [N, P, C]}, from a context set
 * {@code C_t = {(m_c, y_{t,c})}} and the query set {@code Q_t = {(m_q, y_{t,q})}}, both noised at t:
 *
 * <pre>
 *   token(m, y, t) = A·σ(LN(W_m·PE(m))) + B·σ(LN(W_y·y)) + T·σ(W_t·sin(t))      (σ: GELU)   (one embedding for both sets)
 *   z⁰ = latents [L, d] (learned) + XAttn(LN(latents), LN(token(C_t)));   z⁰ += MLP(LN(z⁰))
 *   z  = B pre-LN self-attention blocks over z⁰                           [N, L, d]
 *   h  = token(Q_t) + XAttn(LN(token(Q_t)), LN(z));                       h += MLP(LN(h))
 *   ε̂  = Linear(LN(h))                                                    [N, P, C]
 * </pre>
 *
 * Queries attend only to the latents, never to each other, so each query's output depends on its own
 * pair and the context alone: the cost is linear in |C| and |Q|, and the same network answers any
 * number of query coordinates, on or off the training grid. The exported model keeps P and K dynamic.
 *
 * <p>Inputs {@code x [N, P, C]} (noisy query signals), {@code coords [N, P, D]}, {@code t [N]},
 * {@code context [N, K, C]} (noisy context signals), {@code context_coords [N, K, D]}; output
 * {@code out [N, P, C]}. Coordinates are raw; {@link CoordinateEncoding} runs inside the graph.
 *
 * @param config sizes
 */
public record PerceiverIo(Config config) implements Architecture {

  /**
   * @param domain plane, volume or sphere
   * @param channels signal channels C
   * @param encoding fourier or harmonics (sphere only)
   * @param frequencies Fourier octaves F
   * @param harmonicDegree largest spherical-harmonic degree L
   * @param width model width d
   * @param latents number of latents L
   * @param heads attention heads
   * @param blocks latent self-attention blocks B
   * @param mlpRatio hidden width of every MLP over d
   * @param timeEmbedding width of the sinusoidal time features
   * @param activation non-linearity of the embeddings and MLPs (gelu)
   * @param querySignal where a query's own noisy signal enters: {@code token} (its token, as the context
   *     pairs'; the default); or, with a query token of coordinate and time only, so that the decoder's
   *     attention is driven by where the query is, {@code after_attention} (the signal's token projection
   *     is added to the query after its cross-attention, before its MLP, which mixes it with the time and
   *     what the latents said) or {@code output} (the signal's features join the decoded features at the
   *     output layer only, {@code ε̂ = Linear([LN(h); σ(LN(W_y·y_q))])}, MCF's output layer)
   */
  public record Config(String domain, Integer channels, String encoding, Integer frequencies, Integer harmonicDegree,
      Integer width, Integer latents, Integer heads, Integer blocks, Integer mlpRatio, Integer timeEmbedding,
      String activation, String querySignal) {
    public Config {
      domain = domain == null ? "plane" : domain;
      channels = channels == null ? 1 : channels;
      encoding = encoding == null ? "fourier" : encoding;
      frequencies = frequencies == null ? 8 : frequencies;
      harmonicDegree = harmonicDegree == null ? 4 : harmonicDegree;
      width = width == null ? 64 : width;
      latents = latents == null ? 32 : latents;
      heads = heads == null ? 4 : heads;
      blocks = blocks == null ? 2 : blocks;
      mlpRatio = mlpRatio == null ? 2 : mlpRatio;
      timeEmbedding = timeEmbedding == null ? 64 : timeEmbedding;
      activation = activation == null ? "gelu" : activation;
      Activation.parse(activation);
      querySignal = querySignal == null ? "token" : querySignal;
      if (!List.of("token", "after_attention", "output").contains(querySignal)) {
        throw new IllegalArgumentException("perceiver-io field `query_signal` must be token, after_attention or"
            + " output, got `" + querySignal + "`");
      }
      if (channels < 1 || width < 1 || latents < 1 || heads < 1 || blocks < 0 || mlpRatio < 1) {
        throw new IllegalArgumentException("perceiver-io needs channels, width, latents, heads, mlp_ratio >= 1 and"
            + " blocks >= 0; got channels=" + channels + ", width=" + width + ", latents=" + latents + ", heads="
            + heads + ", blocks=" + blocks + ", mlp_ratio=" + mlpRatio);
      }
      if (width % heads != 0) {
        throw new IllegalArgumentException("perceiver-io field `width` (" + width + ") must be divisible by `heads` ("
            + heads + ")");
      }
      if (timeEmbedding < 2 || timeEmbedding % 2 != 0) {
        throw new IllegalArgumentException("perceiver-io field `time_embedding` must be even and >= 2, got "
            + timeEmbedding);
      }
      coordinateEncoding(Domain.parse(domain, "domain"), encoding, frequencies, harmonicDegree);
    }

    /** The domain. */
    public Domain fieldDomain() {
      return Domain.parse(domain, "domain");
    }

    /** The coordinate features. */
    public CoordinateEncoding coordinateEncoding() {
      return coordinateEncoding(fieldDomain(), encoding, frequencies, harmonicDegree);
    }

    private static CoordinateEncoding coordinateEncoding(Domain d, String kind, int frequencies, int degree) {
      return CoordinateEncoding.of(kind, frequencies, degree, d);
    }
  }

  /** Symbol of the number of query pairs. */
  public static final String QUERY_PAIRS = "P";
  /** Symbol of the number of context pairs. */
  public static final String CONTEXT_PAIRS = "K";

  @Override
  public List<ModelInput> inputs() {
    long c = config.channels();
    long d = config.fieldDomain().dimension();
    return List.of(
        pairs("x", QUERY_PAIRS, c),
        pairs("coords", QUERY_PAIRS, d),
        new ModelInput("t", DType.FLOAT, Shape.batched("N"), 0, 999),
        pairs("context", CONTEXT_PAIRS, c),
        pairs("context_coords", CONTEXT_PAIRS, d));
  }

  private static ModelInput pairs(String name, String count, long width) {
    return new ModelInput(name, DType.FLOAT, Shape.of(Dim.symbol("N"), Dim.symbol(count), Dim.of(width)), -1, 1);
  }

  @Override
  public List<String> outputs() {
    return List.of("out");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> in) {
    long d = config.width();
    long hidden = (long) config.mlpRatio() * d;
    Domain domain = config.fieldDomain();
    CoordinateEncoding pe = config.coordinateEncoding();
    TransformerOptions options = TransformerOptions.preNorm();

    Activation act = Activation.parse(config.activation());
    PairEmbedding embed = PairEmbedding.declare(g, pe.width(domain), config.channels(), config.timeEmbedding(), d, act);
    Value time = embed.time(g, SinusoidalEmbedding.of(config.timeEmbedding()).apply(g, in.get("t")));
    Value contextTokens = embed.apply(g, pe.apply(g, in.get("context_coords"), domain), in.get("context"), time);
    boolean signalAtOutput = config.querySignal().equals("output");
    boolean signalInToken = config.querySignal().equals("token");
    Value queryCoords = pe.apply(g, in.get("coords"), domain);
    Value queryTokens = signalInToken ? embed.apply(g, queryCoords, in.get("x"), time)
        : embed.placed(g, queryCoords, time);

    Value z;
    try (var s = g.scope("encoder")) {
      Value latents = g.parameter("latents", Shape.of(config.latents(), d), Init.normal(0.02));
      var attn = new MultiHeadAttention("attn", d, config.heads()).declare(g, options);
      Value read = attn.apply(g, LayerNorm.of("ln_latents", d).apply(g, latents),
          LayerNorm.of("ln_context", d).apply(g, contextTokens)).output();
      z = g.add(latents, read);
      z = residualMlp(g, z, d, hidden, act);
    }
    for (int b = 0; b < config.blocks(); b++) {
      z = new TransformerBlock("latent." + b, d, config.heads(), config.mlpRatio(), true, act)
          .apply(g, z, options).output();
    }
    Value out;
    try (var s = g.scope("decoder")) {
      var attn = new MultiHeadAttention("attn", d, config.heads()).declare(g, options);
      Value h = g.add(queryTokens, attn.apply(g, LayerNorm.of("ln_queries", d).apply(g, queryTokens),
          LayerNorm.of("ln_latents", d).apply(g, z)).output());
      if (config.querySignal().equals("after_attention")) {
        h = g.add(h, embed.signalToken(g, in.get("x")));
      }
      h = residualMlp(g, h, d, hidden, act);
      Value decoded = LayerNorm.of("ln_out", d).apply(g, h);
      out = signalAtOutput
          ? Linear.of("head", 2 * d, config.channels()).apply(g, g.concat(2, decoded, embed.signal(g, in.get("x"))))
          : Linear.of("head", d, config.channels()).apply(g, decoded);
    }
    return Map.of("out", out);
  }

  /** h + MLP(LN(h)), in the current scope. */
  private static Value residualMlp(Graph g, Value h, long d, long hidden, Activation act) {
    Value n = LayerNorm.of("ln_mlp", d).apply(g, h);
    return g.add(h, new Mlp("mlp", new long[] {d, hidden, d}, act, false).apply(g, n));
  }

  /**
   * The one embedding of a (coordinate, signal) pair at time t, shared by context and query tokens.
   * The three branches are summed after their output projections: the projection of their
   * concatenation, without broadcasting the time features over the pairs.
   */
  private record PairEmbedding(Linear.Declared coordIn, LayerNorm.Declared coordNorm, Linear.Declared coordOut,
      Linear.Declared signalIn, LayerNorm.Declared signalNorm, Linear.Declared signalOut, Linear.Declared timeIn,
      Linear.Declared timeOut, Activation act) {

    static PairEmbedding declare(Graph g, long features, long channels, long timeFeatures, long d, Activation act) {
      try (var s = g.scope("embed")) {
        return new PairEmbedding(Linear.of("coord_in", features, d).declare(g), LayerNorm.of("coord_ln", d).declare(g),
            Linear.of("coord_out", d, d).declare(g), Linear.of("signal_in", channels, d).declare(g),
            LayerNorm.of("signal_ln", d).declare(g), Linear.of("signal_out", d, d).withoutBias().declare(g),
            Linear.of("time_in", timeFeatures, d).declare(g), Linear.of("time_out", d, d).withoutBias().declare(g), act);
      }
    }

    /** Sinusoidal time features [N, E] → [N, 1, d], to broadcast over the pairs. */
    Value time(Graph g, Value features) {
      try (var s = g.scope("embed")) {
        return g.unsqueeze(timeOut.apply(g, act.apply(g, timeIn.apply(g, features))), 1);
      }
    }

    /** PE(m) [N, P, F], y [N, P, C], time [N, 1, d] → tokens [N, P, d]. */
    Value apply(Graph g, Value features, Value y, Value time) {
      try (var s = g.scope("embed")) {
        Value m = coordinate(g, features);
        return g.add(g.add(m, signalOut.apply(g, signalFeatures(g, y))), time);
      }
    }

    /** A token of coordinate and time only: PE(m) [N, P, F], time [N, 1, d] → [N, P, d]. */
    Value placed(Graph g, Value features, Value time) {
      try (var s = g.scope("embed")) {
        return g.add(coordinate(g, features), time);
      }
    }

    /** The signal's share of a token, B·σ(LN(W_y·y)): y [N, P, C] → [N, P, d]. */
    Value signalToken(Graph g, Value y) {
      try (var s = g.scope("embed")) {
        return signalOut.apply(g, signalFeatures(g, y));
      }
    }

    /** The signal's features before the token projection, σ(LN(W_y·y)): y [N, P, C] → [N, P, d]. */
    Value signal(Graph g, Value y) {
      try (var s = g.scope("embed")) {
        return signalFeatures(g, y);
      }
    }

    /** A·σ(LN(W_m·PE(m))), in the caller's scope. */
    private Value coordinate(Graph g, Value features) {
      return coordOut.apply(g, act.apply(g, coordNorm.apply(g, coordIn.apply(g, features))));
    }

    /** σ(LN(W_y·y)), in the caller's scope. */
    private Value signalFeatures(Graph g, Value y) {
      return act.apply(g, signalNorm.apply(g, signalIn.apply(g, y)));
    }
  }
}
