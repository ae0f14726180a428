package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
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
 * <p>One block is applied for s = 1..T_max, with halting probability
 * {@code p_s = σ(LN(y_s,CLS)·w_h + b_h)} read from the CLS token after the step and accumulated by
 * {@link ActState}; the classifier reads the halting-weighted CLS state
 * {@code logits = head(Σ_s w_s·y_s,CLS)}. The training graph unrolls all T_max steps with masks
 * (halted examples keep computing but get weight 0) and forces a halt at T_max so the weights sum
 * to 1; outputs {@code ponder = N + R} and {@code steps = N} per example let a task add the ponder
 * cost τ·mean(N + R) and report the depth used. Serving runs one {@link Step} per call and stops
 * each example once it halts ({@code dev.kiln.transformers.serving.AdaptiveDepthRunner}).
 *
 * @param embedding tokens or patches
 * @param dims block widths
 * @param halting T_max, ε, halting bias
 * @param router the hyper network's routing, or null for a static feed-forward layer (UT-ACT)
 * @param classes output classes
 */
public record UniversalTransformer(SequenceEmbedding embedding, BlockDims dims, Halting halting, Router router,
    long classes) implements Architecture {

  public UniversalTransformer {
    if (classes < 2) {
      throw new IllegalArgumentException("field `classes` must be >= 2, got " + classes);
    }
  }

  /** The same model unrolled to a different T_max (the parameters do not depend on it). */
  public UniversalTransformer withMaxSteps(int steps) {
    return new UniversalTransformer(embedding, dims, halting.withMaxSteps(steps), router, classes);
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
   * @param haltNorm LN before the halting unit
   * @param haltProj the halting unit {@code [dim, 1]}
   * @param head the classifier
   */
  public record Step(EncoderBlock block, Norm haltNorm, Dense haltProj, ClassifierHead head) {

    /** One step: h [N, T, dim] → y [N, T, dim] and the halting probability p [N]. */
    public Output apply(Graph g, Value h) {
      Value y = block.apply(g, h);
      Value logit = haltProj.apply(g, haltNorm.apply(g, Tokens.first(g, y)));
      return new Output(y, g.sigmoid(g.reshape(logit, -1)));
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

  /** Declares the block ({@code block.*}), halting unit ({@code halt.*}) and classifier ({@code head.*}). */
  public Step declareStep(Graph g) {
    EncoderBlock block = EncoderBlock.declare(g, "block", dims, router);
    Norm norm;
    Dense proj;
    try (var s = g.scope("halt")) {
      norm = Norm.declare(g, "norm", dims.dim());
      proj = Dense.declare(g, "proj", dims.dim(), 1, halting.biasInit());
    }
    return new Step(block, norm, proj, ClassifierHead.declare(g, dims.dim(), classes));
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> inputs) {
    Value h = embedding.embed(g, inputs, dims.dim());
    Step step = declareStep(g);
    ActState act = ActState.start(g, Tokens.first(g, h));
    for (int s = 1; s <= halting.maxSteps(); s++) {
      Output out = step.apply(g, h);
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
