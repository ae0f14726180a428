package dev.kiln.inference;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.SamplerState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Denoiser} over any model runner with inputs {@code x} (and {@code v} for a phase-space
 * state), {@code t} (and {@code label}) and output {@code out}: an exported model's
 * {@code Session::run} or a training graph's {@code ForwardSession::run}. With labels and a guidance scale w it applies classifier-free guidance,
 * {@code out = out(∅) + w·(out(label) − out(∅))}, running the model twice per call.
 */
public final class ModelDenoiser implements Denoiser {

  private final Function<Map<String, Tensor>, Map<String, Tensor>> model;
  private final long[] labels;
  private final long nullLabel;
  private final double guidance;
  private int calls;

  private ModelDenoiser(Function<Map<String, Tensor>, Map<String, Tensor>> model, long[] labels, long nullLabel,
      double guidance) {
    this.model = model;
    this.labels = labels;
    this.nullLabel = nullLabel;
    this.guidance = guidance;
  }

  /** An unconditional model. */
  public static ModelDenoiser unconditional(Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    return new ModelDenoiser(model, null, 0, 1);
  }

  /**
   * A class-conditional model; label {@code nullLabel} is "no class". Guidance 1 is plain conditional
   * sampling, 0 unconditional, above 1 classifier-free guidance.
   */
  public static ModelDenoiser conditional(Function<Map<String, Tensor>, Map<String, Tensor>> model, long[] labels,
      long nullLabel, double guidance) {
    return new ModelDenoiser(model, labels.clone(), nullLabel, guidance);
  }

  @Override
  public Tensor predict(SamplerState state, double t) {
    Tensor x = state.x();
    int n = (int) x.dim(0);
    Tensor tt = Tensor.zeros(DType.FLOAT, n);
    tt.fill(t);
    if (labels == null) {
      return run(state, tt, null);
    }
    if (labels.length != n) {
      throw new IllegalArgumentException(labels.length + " labels for a batch of " + n);
    }
    if (guidance == 1) {
      return run(state, tt, Tensor.ofLongs(labels, n));
    }
    long[] none = new long[n];
    java.util.Arrays.fill(none, nullLabel);
    Tensor uncond = run(state, tt, Tensor.ofLongs(none, n));
    if (guidance == 0) {
      return uncond;
    }
    Tensor cond = run(state, tt, Tensor.ofLongs(labels, n));
    Tensor out = Tensor.zeros(DType.FLOAT, x.shape());
    for (int i = 0; i < out.size(); i++) {
      double u = uncond.getFloat(i);
      out.set(i, u + guidance * (cond.getFloat(i) - u));
    }
    return out;
  }

  /** Model evaluations made so far (two per call under guidance). */
  public int calls() {
    return calls;
  }

  private Tensor run(SamplerState state, Tensor t, Tensor label) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", state.x());
    if (state instanceof SamplerState.PhaseSpace p) {
      in.put("v", p.v());
    }
    in.put("t", t);
    if (label != null) {
      in.put("label", label);
    }
    calls++;
    return model.apply(in).get("out");
  }
}
