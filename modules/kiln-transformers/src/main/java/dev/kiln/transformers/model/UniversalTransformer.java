package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Value;
import dev.kiln.nn.Linear;
import dev.kiln.nn.TransformerBlock;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Universal Transformer (Dehghani et al. 2018, arXiv 1807.03819) with per-example adaptive
 * computation time, and with a {@link Router} the Hyper-UT of Abnar et al. (arXiv 2310.08866), whose
 * shared block generates its feed-forward weights per example and per step
 * ({@link HyperFeedForward}). Report: {@code docs/reproductions/hyper-ut.md}.
 *
 * <p>One block is applied for s = 1..T_max to the state with the position and step signals re-added
 * ({@link TimingSignal}), {@code x_s = h_{s−1} + P + S[s]}, {@code y_s = block(x_s)}, with halting
 * probability {@code p_s = mean_t σ(x_s,t·w_h + b_h)} read from that state as tensor2tensor's global
 * ACT does, and accumulated by {@link ActState}; without ACT ({@link Halting#adaptive()} false, the
 * router-without-ACT ablation) p = 0 and every example runs all T_max steps, so the output is the last
 * step's. The classifier reads the halting-weighted CLS state
 * {@code logits = head(Σ_s w_s·y_s,CLS)}. The training graph unrolls all T_max steps with masks
 * (halted examples keep computing but get weight 0) and forces a halt at T_max so the weights sum
 * to 1; outputs {@code ponder = N + R} and {@code steps = N} per example let a task add the ponder
 * cost τ·mean(N + R) and report the depth used. Serving runs one {@link Step} per call and stops
 * each example once it halts ({@code dev.kiln.transformers.serving.AdaptiveDepthRunner}).
 *
 * <p>The model-wide {@code options} reach every part: LayerNorm pre, post or none in the block (the
 * LN before the classifier exists with pre-LN only), σReparam (arXiv
 * 2303.06296) on every linear layer, whose Ŵ is computed once per forward pass and shared by all
 * steps.
 *
 * @param embedding tokens or patches
 * @param dims block widths
 * @param halting T_max, ε, halting bias
 * @param router the hyper network's routing, or null for a static feed-forward layer (UT-ACT)
 * @param classes output classes
 * @param options LayerNorm placement and σReparam of the block, the halting unit, the head and the
 *     patch embedding
 */
public record UniversalTransformer(SequenceEmbedding embedding, BlockDims dims, Halting halting, Router router,
    long classes, TransformerOptions options) implements Architecture {

  public UniversalTransformer {
    if (classes < 2) {
      throw new IllegalArgumentException("field `classes` must be >= 2, got " + classes);
    }
  }

  /** The same model unrolled to a different T_max (the parameters do not depend on it). */
  public UniversalTransformer withMaxSteps(int steps) {
    return new UniversalTransformer(embedding, dims, halting.withMaxSteps(steps), router, classes, options);
  }

  @Override
  public List<ModelInput> inputs() {
    return embedding.inputs();
  }

  @Override
  public List<String> outputs() {
    return List.of("logits", "ponder", "steps");
  }

  /**
   * The shared parameters: the block, the halting unit and the classifier.
   *
   * @param block the shared block
   * @param haltProj the halting unit {@code [dim, 1]}, or null without ACT (every step runs, p = 0)
   * @param head the classifier
   * @param timing the timing signals
   * @param position the position signal {@code [T, dim]}, built once and re-added at every step
   */
  public record Step(TransformerBlock.Declared block, Linear.Declared haltProj, ClassifierHead head,
      TimingSignal timing, Value position) {

    /**
     * One step, as tensor2tensor's global-ACT step: {@code x = h + P + S[step]}, the halting
     * probability {@code p = mean_t σ(x_t·w_h + b_h)} read from that state, then {@code y = block(x)}.
     *
     * @param h the state [N, T, dim]
     * @param step the 0-based step index [1], float
     * @return y [N, T, dim] and p [N]
     */
    public Output apply(Graph g, Value h, Value step) {
      Value x = timing.add(g, h, position, step);
      Value p;
      try (var s = g.scope("halt")) {
        p = haltProj == null ? g.reduceSum(g.mul(g.stopGradient(Tokens.first(g, x)), 0.0), false, 1)
            : g.reduceMean(g.reshape(g.sigmoid(haltProj.apply(g, x)), 0, -1), false, 1);
      }
      return new Output(block.apply(g, x).output(), p);
    }
  }

  /**
   * A step's results.
   *
   * @param state y [N, T, dim]
   * @param halting p [N]
   */
  public record Output(Value state, Value halting) {

    /** The CLS token of the state, [N, dim]. */
    public Value cls(Graph g) {
      return Tokens.first(g, state);
    }
  }

  /** Declares the embedding's parameters ({@code embed.*}) and returns {@code h⁰ [N, T, dim]}. */
  public Value embed(Graph g, Map<String, Value> inputs) {
    return embedding.embed(g, inputs, dims.dim(), options);
  }

  /**
   * Declares the block ({@code block.*}; its feed-forward layer generated by the router when there is
   * one), halting unit ({@code halt.*}) and classifier ({@code head.*}).
   */
  public Step declareStep(Graph g) {
    TransformerBlock spec = dims.block("block");
    TransformerBlock.Declared block = router == null ? spec.declare(g, options)
        : spec.declare(g, options, HyperFeedForward.declarer(router));
    Linear.Declared proj = null;
    if (halting.adaptive()) {
      try (var s = g.scope("halt")) {
        proj = options.configure(Linear.of("proj", dims.dim(), 1))
            .withBiasInit(new Init.Constant(halting.biasInit())).declare(g);
      }
    }
    TimingSignal timing = new TimingSignal(embedding.tokens(), dims.dim());
    return new Step(block, proj, ClassifierHead.declare(g, dims.dim(), classes, options), timing, timing.position(g));
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> inputs) {
    Value h = embed(g, inputs);
    Step step = declareStep(g);
    ActState act = ActState.start(g, Tokens.first(g, h));
    for (int s = 1; s <= halting.maxSteps(); s++) {
      Output out = step.apply(g, h, TimingSignal.stepIndex(g, h, s));
      act = act.step(g, out.halting(), out.cls(g), halting.threshold(), s == halting.maxSteps(), null);
      h = out.state();
    }
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("logits", step.head().apply(g, act.output()));
    m.put("ponder", act.ponder(g));
    m.put("steps", act.updates());
    return m;
  }
}
