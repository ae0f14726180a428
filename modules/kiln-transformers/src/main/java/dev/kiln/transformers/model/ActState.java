package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * Per-example adaptive computation time (Graves 2016, arXiv 1603.08983, as in the Universal
 * Transformer's tensor2tensor code, "global" variant: one halting unit per example) written as graph
 * ops, so the same update runs in the unrolled training graph and in the ONNX {@code Loop} body.
 * {@link dev.kiln.transformers.serving.HaltingAccumulator} is the same update in Java.
 *
 * <p>At step s with halting probability {@code p [N]} and step output {@code y [N, dim]}:
 * <pre>
 *   halt  = run · [H + p·run > 1 − ε]        (every running example at s = T_max)
 *   cont  = run − halt
 *   H    += p·cont
 *   r     = halt·(1 − H)                     (the remainder, once)
 *   w     = p·cont + r                       (0 once halted; Σ_s w_s = 1)
 *   N    += run ;  R += r ;  o += w·y ;  run = cont
 * </pre>
 * The ponder cost of an example is {@code N + R}; its gradient flows through R into the halting
 * probabilities of the steps before the halt.
 *
 * @param cumulative H [N]
 * @param remainder R [N]
 * @param updates N [N] (steps taken, as floats)
 * @param running 1 while the example runs, else 0 [N]
 * @param output o [N, dim], the halting-weighted sum of step outputs
 */
public record ActState(Value cumulative, Value remainder, Value updates, Value running, Value output) {

  /** H = R = N = 0, run = 1, o = 0, batched like {@code like [N, dim]}. */
  public static ActState start(Graph g, Value like) {
    Value zeros = g.mul(g.stopGradient(like), 0.0);
    Value zerosN = g.reduceSum(zeros, false, 1);
    return new ActState(zerosN, zerosN, zerosN, g.add(zerosN, 1.0), zeros);
  }

  /**
   * One step. {@code forceHalt} (a bool scalar, or null) makes every running example halt here;
   * {@code lastStep} does the same when known while building.
   */
  public ActState step(Graph g, Value p, Value y, double threshold, boolean lastStep, Value forceHalt) {
    Value halt;
    if (lastStep) {
      halt = running;
    } else {
      Value over = g.greater(g.add(cumulative, g.mul(p, running)), g.scalarLike(p, threshold));
      if (forceHalt != null) {
        over = g.apply("Or", java.util.List.of(over, forceHalt), java.util.Map.of());
      }
      halt = g.where(over, running, g.scalarLike(p, 0));
    }
    Value cont = g.sub(running, halt);
    Value h = g.add(cumulative, g.mul(p, cont));
    Value r = g.mul(halt, g.sub(1.0, h));
    Value w = g.add(g.mul(p, cont), r);
    return new ActState(h, g.add(remainder, r), g.add(updates, running), cont,
        g.add(output, g.mul(g.unsqueeze(w, 1), y)));
  }

  /** N + R per example. */
  public Value ponder(Graph g) {
    return g.add(updates, remainder);
  }
}
