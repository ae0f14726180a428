package dev.kiln.diffusion.fields;

import dev.kiln.spi.process.PredictionType;
import dev.kiln.spi.process.ScheduleConfig;

/**
 * The DPF task as a recipe writes it: {@code "task": {"type": "dpf", "data": "mnist", "batch_size": 32,
 * "context_size": 256, "query_size": 256, "schedule": {"beta_schedule": "squaredcos_cap_v2"}}}.
 *
 * @param data mnist, shapes or sphere-mnist ({@link FieldData})
 * @param resolution the training grid's resolution (null: the data's default; mnist is 28)
 * @param batchSize fields per step
 * @param contextSize |C|, context pairs drawn per field
 * @param querySize |Q|, query pairs drawn per field (the loss is on these)
 * @param schedule the training noise schedule (diffusers field names); ε-prediction only
 */
public record FieldTaskConfig(String data, Integer resolution, Integer batchSize, Integer contextSize,
    Integer querySize, ScheduleConfig schedule) {

  public FieldTaskConfig {
    if (data == null || data.isBlank()) {
      throw new IllegalArgumentException("dpf task needs `data` (mnist, shapes, sphere-mnist)");
    }
    batchSize = batchSize == null ? 32 : batchSize;
    contextSize = contextSize == null ? 256 : contextSize;
    querySize = querySize == null ? 256 : querySize;
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    if (batchSize < 1 || contextSize < 1 || querySize < 1) {
      throw new IllegalArgumentException("dpf task fields `batch_size`, `context_size` and `query_size` must be >= 1;"
          + " got " + batchSize + ", " + contextSize + ", " + querySize);
    }
    if (schedule.predictionType() != PredictionType.EPSILON) {
      throw new IllegalArgumentException("dpf task: the field denoiser predicts the noise of the queries; field"
          + " `prediction_type` must be epsilon, got " + schedule.predictionType());
    }
  }
}
