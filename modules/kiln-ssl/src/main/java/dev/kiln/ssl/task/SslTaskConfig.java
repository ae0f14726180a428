package dev.kiln.ssl.task;

import java.util.Locale;

/**
 * The self-supervised task as a recipe writes it: {@code "task": {"type": "ssl", "data": "coloured-digits",
 * "objective": "mast", "uncertainty": false, "batch_size": 32}}.
 *
 * @param data {@code coloured-digits} (3,000 training and 800 test pictures, K = 3 augmentation types) or
 *     {@code shapes} (4,000 pictures, 80 % training, K = 4), both 16 × 16 as in the MAST study
 * @param objective {@code mast} (pairs that differ in one augmentation type, masked subspaces) or
 *     {@code vicreg} (pairs that differ in every type, one space)
 * @param uncertainty MAST only: whether the uncertainty head reweights pairs (default false, the variant
 *     the study found best)
 * @param expander the expander's layer widths, the last being the embedding dimension d the objective
 *     acts on (64, 64); the expander is trained with the encoder and not exported
 * @param batchSize pairs per step (each step runs 2·batch pictures)
 * @param probeTrain training pictures each linear probe of the evaluation fits on (1,000)
 * @param probeIterations full-batch Adam steps per probe (100)
 */
public record SslTaskConfig(String data, String objective, Boolean uncertainty, java.util.List<Long> expander,
    Integer batchSize, Integer probeTrain, Integer probeIterations) {

  public SslTaskConfig {
    data = data == null ? null : data.trim().toLowerCase(Locale.ROOT);
    if (!"coloured-digits".equals(data) && !"shapes".equals(data)) {
      throw new IllegalArgumentException("ssl task: field `data` must be coloured-digits or shapes, got `" + data + "`");
    }
    objective = objective == null ? "mast" : objective.trim().toLowerCase(Locale.ROOT);
    if (!objective.equals("mast") && !objective.equals("vicreg")) {
      throw new IllegalArgumentException("ssl task: field `objective` must be mast or vicreg, got `" + objective + "`");
    }
    uncertainty = uncertainty != null && uncertainty;
    if (uncertainty && objective.equals("vicreg")) {
      throw new IllegalArgumentException("ssl task: field `uncertainty` is MAST's; objective vicreg has none");
    }
    expander = expander == null ? java.util.List.of(64L, 64L) : java.util.List.copyOf(expander);
    if (expander.isEmpty() || expander.stream().anyMatch(w -> w == null || w < 2)) {
      throw new IllegalArgumentException("ssl task: field `expander` must list widths >= 2, got " + expander);
    }
    batchSize = batchSize == null ? 32 : batchSize;
    probeTrain = probeTrain == null ? 1000 : probeTrain;
    probeIterations = probeIterations == null ? 100 : probeIterations;
    if (batchSize < 2 || probeTrain < 2 || probeIterations < 1) {
      throw new IllegalArgumentException("ssl task: fields `batch_size` and `probe_train` must be >= 2 and"
          + " `probe_iterations` >= 1, got " + batchSize + ", " + probeTrain + ", " + probeIterations);
    }
  }
}
