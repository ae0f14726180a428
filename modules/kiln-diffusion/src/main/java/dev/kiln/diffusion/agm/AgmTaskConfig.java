package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.AgmProcess;

/**
 * The AGM task as a recipe writes it: {@code "task": {"type": "agm", "data": "8gaussians",
 * "batch_size": 512, "process": {"de_type": "prob_ode"}}}.
 *
 * @param data 8gaussians, moons, swissroll, checkerboard, or mnist (as the diffusion task reads them)
 * @param batchSize examples per step
 * @param process the phase-space process and label type
 * @param tMin smallest training time (1e-5)
 * @param tMax largest training time (0.999): the label's scale grows without bound as t → 1
 */
public record AgmTaskConfig(String data, Integer batchSize, AgmProcess process, Double tMin, Double tMax) {

  public AgmTaskConfig {
    if (data == null || data.isBlank()) {
      throw new IllegalArgumentException("agm task needs `data` (8gaussians, moons, swissroll, checkerboard, mnist)");
    }
    batchSize = batchSize == null ? 512 : batchSize;
    process = process == null ? AgmProcess.defaults() : process;
    tMin = tMin == null ? 1e-5 : tMin;
    tMax = tMax == null ? 0.999 : tMax;
    if (batchSize < 1) {
      throw new IllegalArgumentException("agm task field `batch_size` must be >= 1, got " + batchSize);
    }
    if (!(tMin >= 0 && tMin < tMax && tMax < 1)) {
      throw new IllegalArgumentException("agm task fields need 0 <= t_min < t_max < 1, got t_min=" + tMin
          + ", t_max=" + tMax);
    }
  }
}
