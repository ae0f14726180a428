package dev.kiln.nn;

import dev.kiln.graph.Init;
import java.util.Locale;

/**
 * Model-wide switches for transformer layers ({@link MultiHeadAttention}, {@link Mlp},
 * {@link TransformerBlock}): where LayerNorm sits (or whether there is any), σReparam on every linear
 * layer ({@link SigmaReparam}, arXiv 2303.06296), causal masking, and the weight initialiser of plain
 * linear layers. One value applied to a whole model is the "σReparam recipe": with
 * {@code sigmaReparam = VISION} and {@code norm = NONE} it is the paper's ViT setting (every linear
 * reparametrised, every LayerNorm removed). Report: {@code docs/reproductions/sigma-reparam.md}.
 *
 * @param norm LayerNorm placement
 * @param sigmaReparam σReparam variant for every linear layer, or null for plain weights
 * @param causal whether query t attends only to keys ≤ t
 * @param linearInit initialiser of plain (not reparametrised) linear weights, or null for
 *     {@link Linear}'s default; σReparam layers take their variant's initialiser
 */
public record TransformerOptions(Norm norm, SigmaReparam.Variant sigmaReparam, boolean causal, Init linearInit) {

  /** Where LayerNorm sits in a residual block. */
  public enum Norm {
    /** {@code x + f(LN(x))}. */
    PRE,
    /** {@code LN(x + f(x))}, the original Transformer. */
    POST,
    /** {@code x + f(x)}: no normalisation at all. */
    NONE;

    /** Parses {@code pre}, {@code post} or {@code none} (any case); {@code field} names the recipe field. */
    public static Norm parse(String s, String field) {
      for (Norm n : values()) {
        if (n.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
          return n;
        }
      }
      throw new IllegalArgumentException("field `" + field + "` must be pre, post or none, got `" + s + "`");
    }

    /** The recipe spelling: {@code pre}, {@code post} or {@code none}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TransformerOptions {
    if (norm == null) {
      throw new IllegalArgumentException("transformer options need a norm placement (pre, post or none)");
    }
  }

  /** Pre-LN, plain weights with {@link Linear}'s default initialisation, no mask. */
  public static TransformerOptions preNorm() {
    return new TransformerOptions(Norm.PRE, null, false, null);
  }

  /** Post-LN, plain weights with {@link Linear}'s default initialisation, no mask. */
  public static TransformerOptions postNorm() {
    return new TransformerOptions(Norm.POST, null, false, null);
  }

  /**
   * Parses the recipe spellings of the switches.
   *
   * @param norm {@code pre}, {@code post} or {@code none} (field {@code norm})
   * @param sigmaReparam {@code none}, {@code vision} or {@code speech} (field {@code sigma_reparam})
   */
  public static TransformerOptions parse(String norm, String sigmaReparam) {
    return new TransformerOptions(Norm.parse(norm, "norm"), parseVariant(sigmaReparam), false, null);
  }

  /** {@code none} → null, {@code vision}, {@code speech} (any case). */
  public static SigmaReparam.Variant parseVariant(String s) {
    String v = s == null ? "none" : s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return null;
    }
    for (SigmaReparam.Variant variant : SigmaReparam.Variant.values()) {
      if (variant.name().equalsIgnoreCase(v)) {
        return variant;
      }
    }
    throw new IllegalArgumentException("field `sigma_reparam` must be none, vision or speech, got `" + s + "`");
  }

  /** The recipe spelling of a variant: {@code none}, {@code vision} or {@code speech}. */
  public static String variantId(SigmaReparam.Variant variant) {
    return variant == null ? "none" : variant.name().toLowerCase(Locale.ROOT);
  }

  public TransformerOptions withNorm(Norm n) {
    return new TransformerOptions(n, sigmaReparam, causal, linearInit);
  }

  public TransformerOptions withSigmaReparam(SigmaReparam.Variant variant) {
    return new TransformerOptions(norm, variant, causal, linearInit);
  }

  public TransformerOptions withCausal(boolean c) {
    return new TransformerOptions(norm, sigmaReparam, c, linearInit);
  }

  public TransformerOptions withLinearInit(Init init) {
    return new TransformerOptions(norm, sigmaReparam, causal, init);
  }

  /**
   * Whether a stack of blocks ends in a LayerNorm before its readout (a language model's
   * {@code ln_f}, a classifier's head norm): with pre-LN only, since post-LN blocks end normalised and
   * the σReparam recipe has no LayerNorm at all.
   */
  public boolean finalNorm() {
    return norm == Norm.PRE;
  }

  /** {@code layer} with these options' initialiser and σReparam variant applied (σReparam last). */
  public Linear configure(Linear layer) {
    Linear l = linearInit == null ? layer : layer.withInit(linearInit);
    return sigmaReparam == null ? l : l.withSigmaReparam(sigmaReparam);
  }
}
