package dev.kiln.experiments.agm;

import dev.kiln.spi.process.Bridge;
import dev.kiln.spi.process.AgmProcess;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Denoiser;
import java.util.ArrayList;
import java.util.List;

/**
 * The predictions of the clean sample a sampler's model makes along one trajectory: AGM's x̂₁(m_t, t)
 * (the inverted label, {@link Bridge#estimateX1}) and a diffusion model's x̂₀(x_τ) =
 * (x_τ − √(1−ᾱ_τ)·ε̂)/√ᾱ_τ, recorded by wrapping the model the sampler calls. Progress is the AGM
 * time t, or 1 − τ/T for the diffusion model.
 */
final class EarlyPrediction {

  /** One recorded prediction. */
  record Point(double progress, Tensor prediction) {}

  private final List<Point> points = new ArrayList<>();

  List<Point> points() {
    return List.copyOf(points);
  }

  /** Wraps an AGM model: every call records x̂₁ at its (x, v, t). */
  Denoiser recording(Denoiser model, AgmProcess process) {
    return (state, t) -> {
      Tensor x = state.x();
      Tensor v = state.velocity("the model");
      Tensor out = model.predict(x, v, t);
      double[] x1 = process.at(t).estimateX1(out.toDoubleArray(), x.toDoubleArray(), v.toDoubleArray());
      points.add(new Point(t, floats(x1, x.shape())));
      return out;
    };
  }

  /** Wraps an ε-prediction diffusion model: every call records x̂₀ at its (x, τ). */
  Denoiser recording(Denoiser model, NoiseSchedule schedule) {
    return (state, tau) -> {
      Tensor x = state.x();
      Tensor out = model.predict(x, tau);
      double ab = schedule.alphaCumprod(tau);
      double a = Math.sqrt(ab);
      double s = Math.sqrt(1 - ab);
      double[] x0 = new double[x.size()];
      for (int i = 0; i < x0.length; i++) {
        x0[i] = (x.get(i) - s * out.get(i)) / a;
      }
      points.add(new Point(1 - tau / schedule.numTrainTimesteps(), floats(x0, x.shape())));
      return out;
    };
  }

  private static Tensor floats(double[] v, long[] shape) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return Tensor.of(f, shape);
  }
}
