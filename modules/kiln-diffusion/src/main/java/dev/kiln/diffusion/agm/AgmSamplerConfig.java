package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.AgmProcess;

/**
 * Settings of the AGM samplers ({@code agm-em}, {@code agm-sscs}, {@code agm-gddim}). The model is
 * evaluated at n times t₀ = t_0 &lt; … &lt; t_{n−1} = t_hop on {@code time_grid}; step i runs from t_i to
 * t_{i+1}, the last from t_hop to t_end. With {@code predict_x1} the sampler returns the early
 * prediction x̂₁(m, t_hop) from the last evaluation ("sampling-hop", arXiv 2310.07805 §4) instead of
 * integrating on to t_end and returning x; the number of evaluations is n either way. Null means default.
 *
 * @param process the process the model was trained on (an exported model's metadata supplies it)
 * @param t0 first evaluation time (1e-5)
 * @param tHop last evaluation time (0.999)
 * @param tEnd where integration stops without {@code predict_x1} (0.999)
 * @param predictX1 return x̂₁ at t_hop (true)
 * @param timeGrid rev_quad or uniform (rev_quad)
 * @param gddimOrder agm-gddim only: extrapolate the model output over this many previous evaluations
 *     (0, 1 or 2; 2)
 */
public record AgmSamplerConfig(AgmProcess process, Double t0, Double tHop, Double tEnd, Boolean predictX1,
    TimeGrid timeGrid, Integer gddimOrder) {

  public AgmSamplerConfig {
    process = process == null ? AgmProcess.defaults() : process;
    t0 = t0 == null ? 1e-5 : t0;
    tHop = tHop == null ? 0.999 : tHop;
    tEnd = tEnd == null ? Math.max(0.999, tHop) : tEnd;
    predictX1 = predictX1 == null || predictX1;
    timeGrid = timeGrid == null ? TimeGrid.REV_QUAD : timeGrid;
    gddimOrder = gddimOrder == null ? 2 : gddimOrder;
    if (!(t0 >= 0 && t0 < tHop)) {
      throw new IllegalArgumentException("t0 must be in [0, t_hop), got t0=" + t0 + ", t_hop=" + tHop);
    }
    if (!(tHop <= tEnd && tEnd < 1)) {
      throw new IllegalArgumentException("need t_hop <= t_end < 1, got t_hop=" + tHop + ", t_end=" + tEnd);
    }
    if (gddimOrder < 0 || gddimOrder > 2) {
      throw new IllegalArgumentException("gddim_order must be 0, 1 or 2, got " + gddimOrder);
    }
  }

  /** The defaults for the process an exported AGM model was trained on (its metadata's {@code agm_process}). */
  public static AgmSamplerConfig of(dev.kiln.inference.GenerativeModel model) {
    return dev.kiln.spi.Configs.read(model.samplerConfig(), AgmSamplerConfig.class, model.path() + ": agm_process");
  }

  /** The defaults for a process. */
  public static AgmSamplerConfig of(AgmProcess process) {
    return new AgmSamplerConfig(process, null, null, null, null, null, null);
  }

  public AgmSamplerConfig withHop(double tHop) {
    return new AgmSamplerConfig(process, t0, tHop, Math.max(tEnd, tHop), predictX1, timeGrid, gddimOrder);
  }

  public AgmSamplerConfig withPredictX1(boolean predict) {
    return new AgmSamplerConfig(process, t0, tHop, tEnd, predict, timeGrid, gddimOrder);
  }

  public AgmSamplerConfig withGddimOrder(int order) {
    return new AgmSamplerConfig(process, t0, tHop, tEnd, predictX1, timeGrid, order);
  }

  public AgmSamplerConfig withTimeGrid(TimeGrid grid) {
    return new AgmSamplerConfig(process, t0, tHop, tEnd, predictX1, grid, gddimOrder);
  }
}
