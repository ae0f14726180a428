package dev.kiln.diffusion.boot;

/**
 * The BOOT objective as a recipe writes it: {@code "task": {"type": "boot", "teacher":
 * "runs/teacher/model.onnx", "batch_size": 256, "grid_steps": 32}}. The recipe's architecture must be
 * the teacher's; the student starts from the teacher's weights.
 *
 * @param teacher the exported teacher model (a Kiln diffusion model)
 * @param batchSize noise draws per step (the training graph has twice as many rows: each draw at t and s)
 * @param gridSteps steps of the teacher DDIM grid the student learns to shortcut (the paper's N)
 * @param guidance classifier-free guidance weight w of the teacher, {@code f(∅) + w·(f(c) − f(∅))};
 *     1 means the plain conditional teacher; only for class-conditional teachers
 * @param boundaryWeight weight λ of the boundary term ‖g(ε, T) − f(ε, T)‖² relative to one bootstrap term
 * @param boundaryRows how the boundary term is sampled: 0 (the default) puts it on the draws whose
 *     interval starts at the noise end, weighted λ·grid_steps so that its expected weight per draw is λ;
 *     m &gt; 0 gives it m draws of its own in every step (at the noise end, boundary term only), so the loss
 *     is the mean bootstrap term over the other draws plus λ times the mean boundary term over these
 */
public record BootTaskConfig(String teacher, Integer batchSize, Integer gridSteps, Double guidance,
    Double boundaryWeight, Integer boundaryRows) {

  public BootTaskConfig {
    if (teacher == null || teacher.isBlank()) {
      throw new IllegalArgumentException("boot task needs `teacher`, the path of an exported diffusion model");
    }
    batchSize = batchSize == null ? 256 : batchSize;
    gridSteps = gridSteps == null ? 32 : gridSteps;
    guidance = guidance == null ? 1.0 : guidance;
    boundaryWeight = boundaryWeight == null ? 1.0 : boundaryWeight;
    boundaryRows = boundaryRows == null ? 0 : boundaryRows;
    if (batchSize < 1) {
      throw new IllegalArgumentException("boot task field `batch_size` must be >= 1, got " + batchSize);
    }
    if (gridSteps < 1) {
      throw new IllegalArgumentException("boot task field `grid_steps` must be >= 1, got " + gridSteps);
    }
    if (!Double.isFinite(guidance) || guidance < 0) {
      throw new IllegalArgumentException("boot task field `guidance` must be finite and >= 0, got " + guidance);
    }
    if (!(boundaryWeight >= 0) || !Double.isFinite(boundaryWeight)) {
      throw new IllegalArgumentException("boot task field `boundary_weight` must be finite and >= 0, got "
          + boundaryWeight);
    }
    if (boundaryRows < 0 || boundaryRows >= batchSize) {
      throw new IllegalArgumentException("boot task field `boundary_rows` must be in [0, batch_size = " + batchSize
          + "), got " + boundaryRows);
    }
  }
}
