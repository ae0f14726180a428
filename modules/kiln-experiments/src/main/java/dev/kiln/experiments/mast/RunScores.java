package dev.kiln.experiments.mast;

import java.util.Map;

/**
 * What one trained configuration scored.
 *
 * @param dataset image set
 * @param method run label
 * @param seed training seed
 * @param backbone probe test accuracy per task on f(x)
 * @param embedding probe test accuracy per task on z
 * @param seconds training wall time (NaN when a finished run was reused)
 * @param augmentShare fraction of that time spent drawing and augmenting views
 * @param finalLoss mean training loss over the last logging window
 * @param masks m [K][d] for MAST runs, else null
 * @param uncertaintyRho Spearman ρ of predicted log σ² against augmentation difference, per stage (MAST
 *     with uncertainty), else null
 */
record RunScores(String dataset, String method, long seed, Map<String, Double> backbone, Map<String, Double> embedding,
    double seconds, double augmentShare, double finalLoss, double[][] masks, Map<String, Double> uncertaintyRho) {

  static double mean(Map<String, Double> perTask) {
    return perTask.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
