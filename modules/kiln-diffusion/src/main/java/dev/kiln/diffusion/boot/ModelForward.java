package dev.kiln.diffusion.boot;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.inference.ForwardSession;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An architecture with given weights run by ONNX Runtime on rows that each have their own timestep
 * (a {@link dev.kiln.spi.Denoiser} takes one timestep per call), with classifier-free guidance
 * {@code out(∅) + w·(out(c) − out(∅))} for a conditional model. The weights are read live, so a model
 * whose weights are being trained can be run too.
 */
final class ModelForward implements AutoCloseable {

  private final ForwardSession session;
  private final int numClasses;
  private final double guidance;

  /**
   * @param numClasses classes of a conditional model (0: unconditional); label numClasses is "no class"
   * @param guidance w; 1 is the plain conditional model
   */
  ModelForward(OrtBackend backend, Architecture architecture, Weights weights, int numClasses, double guidance) {
    Graph g = new Graph("forward");
    Map<String, Value> in = architecture.declareInputs(g);
    g.output("out", architecture.build(g, in).get("out"));
    this.session = ForwardSession.compile(g, backend, weights, "out");
    this.numClasses = numClasses;
    this.guidance = guidance;
  }

  /**
   * The model output for rows {@code x} (row-major, {@code shape = [B, ...]}) at timesteps {@code t [B]},
   * for classes {@code labels [B]} (null for an unconditional model).
   */
  double[] run(double[] x, long[] shape, double[] t, long[] labels) {
    int b = (int) shape[0];
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", Tensor.of(DType.FLOAT, x, shape));
    in.put("t", Tensor.of(DType.FLOAT, t, b));
    if (numClasses == 0) {
      return session.run(in).get("out").toDoubleArray();
    }
    in.put("label", Tensor.ofLongs(labels, b));
    double[] cond = session.run(in).get("out").toDoubleArray();
    if (guidance == 1) {
      return cond;
    }
    long[] none = new long[b];
    Arrays.fill(none, numClasses);
    in.put("label", Tensor.ofLongs(none, b));
    double[] uncond = session.run(in).get("out").toDoubleArray();
    double[] out = new double[cond.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = uncond[i] + guidance * (cond[i] - uncond[i]);
    }
    return out;
  }

  @Override
  public void close() {
    session.close();
  }
}
