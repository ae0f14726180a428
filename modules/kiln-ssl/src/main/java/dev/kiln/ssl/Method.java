package dev.kiln.ssl;

import dev.kiln.ssl.objective.MastConfig;

/**
 * What a pre-training run optimises and how its pairs are made.
 *
 * @param label the run's name in reports ({@code "vicreg"}, {@code "mast"}, …)
 * @param mast MAST's configuration, or null for VICReg
 * @param pairs how the two views of a pair are drawn
 */
public record Method(String label, MastConfig mast, PairMode pairs) {

  /** How the two views of a training pair differ. */
  public enum PairMode {
    /** Every augmentation drawn independently for each view (VICReg's protocol). */
    ALL_AUGMENTATIONS,
    /** One augmentation, picked uniformly per pair, drawn independently; the others shared (MAST's pairs). */
    ONE_AUGMENTATION
  }

  public Method {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("a method needs a label");
    }
    if (pairs == null) {
      throw new IllegalArgumentException("method `" + label + "` needs a pair mode");
    }
  }

  /** VICReg on pairs that differ in every augmentation. */
  public static Method vicreg(String label) {
    return new Method(label, null, PairMode.ALL_AUGMENTATIONS);
  }

  /** MAST on pairs that differ in one augmentation. */
  public static Method mast(String label, MastConfig config) {
    return new Method(label, config, PairMode.ONE_AUGMENTATION);
  }

  public boolean isMast() {
    return mast != null;
  }
}
