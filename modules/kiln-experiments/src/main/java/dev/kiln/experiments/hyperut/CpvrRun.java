package dev.kiln.experiments.hyperut;

import dev.kiln.transformers.tasks.HopReport;

/**
 * One trained model of the C-PVR study, scored per hop count.
 *
 * @param model model id
 * @param label legend label
 * @param seed training seed
 * @param parameters trainable parameters
 * @param seconds training wall time
 * @param finalLoss mean training loss over the last logging window
 * @param trainDepth scored with at most T_max (training) steps, or the fixed depth
 * @param testDepth adaptive-depth models scored with more steps allowed, else null
 */
record CpvrRun(String model, String label, long seed, long parameters, double seconds, double finalLoss,
    HopReport trainDepth, HopReport testDepth) {}
