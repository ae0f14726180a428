package dev.kiln.transformers.serving;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.transformers.model.UniversalTransformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Serves a Universal Transformer / Hyper-UT with adaptive depth: one ONNX Runtime call per step, in a
 * Java loop that drops each example from the batch as soon as it halts, so an example that halts
 * after two steps costs two block evaluations however deep the model may go. With batch 1 every
 * example gets its own depth; with larger batches the batch shrinks as examples halt and the loop
 * ends when all have halted (or at {@code maxSteps}, where the rest are forced to halt).
 *
 * <p>The loop computes what the unrolled training graph computes: the same step graph, and the ACT
 * update of {@link dev.kiln.transformers.model.ActState} in float ({@link HaltingAccumulator}).
 */
public final class AdaptiveDepthRunner implements AutoCloseable {

  private final Session embed;
  private final Session step;
  private final Session head;
  private final float threshold;
  private final int maxSteps;

  private AdaptiveDepthRunner(Session embed, Session step, Session head, float threshold, int maxSteps) {
    this.embed = embed;
    this.step = step;
    this.head = head;
    this.threshold = threshold;
    this.maxSteps = maxSteps;
  }

  /** A runner over {@code arch} with trained {@code weights}, built in memory. */
  public static AdaptiveDepthRunner of(OrtBackend backend, UniversalTransformer arch, Weights weights) {
    Map<String, String> meta = Map.of();
    return new AdaptiveDepthRunner(
        backend.load(ServingGraphs.export(ServingGraphs.embed(arch), weights, backend, meta)),
        backend.load(ServingGraphs.export(ServingGraphs.step(arch), weights, backend, meta)),
        backend.load(ServingGraphs.export(ServingGraphs.head(arch), weights, backend, meta)),
        arch.halting().threshold(), arch.halting().maxSteps());
  }

  /** A runner over the files {@link ServingExport#write} wrote to {@code dir}. */
  public static AdaptiveDepthRunner load(OrtBackend backend, Path dir) throws IOException {
    ServingExport.Settings s = ServingExport.Settings.read(dir);
    return new AdaptiveDepthRunner(backend.load(dir.resolve(ServingExport.EMBED)),
        backend.load(dir.resolve(ServingExport.STEP)), backend.load(dir.resolve(ServingExport.HEAD)),
        (float) (1 - s.actEpsilon()), s.maxSteps());
  }

  /** T_max of the model (the default depth limit). */
  public int maxSteps() {
    return maxSteps;
  }

  /**
   * What one call computed.
   *
   * @param logits [B, classes]
   * @param steps steps (block evaluations) per example
   * @param ponder N + R per example
   * @param stepCalls ONNX Runtime step calls made (the deepest example's steps)
   */
  public record Result(Tensor logits, int[] steps, float[] ponder, int stepCalls) {

    /** The outputs as the training graph names them: logits, ponder, steps. */
    public Map<String, Tensor> asOutputs() {
      float[] s = new float[steps.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = steps[i];
      }
      return Map.of("logits", logits, "ponder", Tensor.of(ponder, ponder.length), "steps", Tensor.of(s, s.length));
    }
  }

  /** Runs {@code inputs} (as the architecture reads them) with at most T_max steps. */
  public Result run(Map<String, Tensor> inputs) {
    return run(inputs, maxSteps);
  }

  /** Runs {@code inputs} with at most {@code limit} steps (may exceed the training T_max). */
  public Result run(Map<String, Tensor> inputs, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("step limit must be >= 1, got " + limit);
    }
    Tensor h0 = embed.run(inputs).get("h");
    int batch = (int) h0.dim(0);
    int tokens = (int) h0.dim(1);
    int dim = (int) h0.dim(2);
    int row = tokens * dim;
    float[] h = h0.toFloatArray();
    HaltingAccumulator act = new HaltingAccumulator(batch, dim, threshold);
    int[] active = act.running();
    int calls = 0;
    for (int s = 1; s <= limit && active.length > 0; s++) {
      float[] in = new float[active.length * row];
      for (int k = 0; k < active.length; k++) {
        System.arraycopy(h, active[k] * row, in, k * row, row);
      }
      Map<String, Tensor> out = step.run(Map.of("h", Tensor.of(in, active.length, tokens, dim),
          "step", Tensor.of(new float[] {s - 1}, 1)), Set.of("y", "p"));
      calls++;
      float[] y = out.get("y").toFloatArray();
      float[] cls = new float[active.length * dim];
      for (int k = 0; k < active.length; k++) {
        System.arraycopy(y, k * row, h, active[k] * row, row);
        System.arraycopy(y, k * row, cls, k * dim, dim);
      }
      act.update(active, out.get("p").toFloatArray(), cls, s == limit);
      active = act.running();
    }
    Tensor logits = head.run(Map.of("o", Tensor.of(act.output(), batch, dim))).get("logits");
    return new Result(logits, act.updates(), act.ponder(), calls);
  }

  /** As {@link #run(Map)}, returning the outputs by name (for a task's evaluation). */
  public Map<String, Tensor> apply(Map<String, Tensor> inputs) {
    return run(inputs).asOutputs();
  }

  @Override
  public void close() {
    embed.close();
    step.close();
    head.close();
  }
}
