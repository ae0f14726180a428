package dev.kiln.conformance.gradients;

import dev.kiln.graph.DType;
import dev.kiln.nn.Activation;
import dev.kiln.nn.AdaptiveLayerNorm;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.GroupNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.MultiHeadAttention;
import dev.kiln.nn.SigmaReparam;
import dev.kiln.nn.TransformerBlock;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.text.planner.LatentDenoiser;
import dev.kiln.text.planner.LatentPrefixDecoder;
import dev.kiln.text.planner.PlannerConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finite-difference checks through whole layers, parameters included: composite layers exercise
 * several rules at once and catch mistakes in how rules compose (σReparam's gradient through σ,
 * GroupNorm built on LayerNormalization, gradients of a block shared by two steps summed into one
 * weight).
 */
public final class LayerGradientCases {

  /** Small PLANNER sizes: vocab 11, length 4, 3 latents of 5, width 8, 2 heads, prefix 2, 2 classes. */
  private static final PlannerConfig PLANNER = new PlannerConfig(11, 4, 3, 5, 8, 1, 2, 8, 1, 2, 2, 2);

  private LayerGradientCases() {}

  public static List<GradientCase> all() {
    return List.of(
        new GradientCase("σReparam Linear (vision init), gradient through σ", Set.of("MatMul", "Div"), DType.DOUBLE,
            in -> Linear.of("lin", 4, 3).withSigmaReparam(SigmaReparam.Variant.VISION).apply(in.g(),
                in.normal("x", 5, 4))),
        new GradientCase("σReparam Linear (speech init)", Set.of("MatMul"), DType.DOUBLE,
            in -> Linear.of("lin", 3, 6).withSigmaReparam(SigmaReparam.Variant.SPEECH).apply(in.g(),
                in.normal("x", 2, 3))),
        new GradientCase("σReparam Conv2d", Set.of("Conv", "Reshape"), DType.FLOAT,
            in -> Conv2d.same("conv", 2, 3, 3).withSigmaReparam(SigmaReparam.Variant.SPEECH).apply(in.g(),
                in.normal("x", 1, 2, 5, 5))),
        new GradientCase("GroupNorm", Set.of("LayerNormalization"), DType.FLOAT,
            in -> GroupNorm.of("gn", 2, 4).apply(in.g(), in.normal("x", 2, 4, 3, 3))),
        new GradientCase("σReparam causal transformer block without LayerNorm (vision init)",
            Set.of("Softmax", "MatMul", "Transpose", "Reshape"), DType.DOUBLE,
            in -> new TransformerBlock("blk", 8, 2, 2, false, Activation.TANH).apply(in.g(), in.normal("x", 2, 4, 8),
                TransformerOptions.parse("none", "vision").withCausal(true)).output()),
        new GradientCase("σReparam post-LN transformer block (speech init)", Set.of("Softmax", "LayerNormalization"),
            DType.FLOAT, in -> new TransformerBlock("blk", 8, 2, 2, false, Activation.GELU).apply(in.g(),
                in.normal("x", 2, 3, 8), TransformerOptions.parse("post", "speech")).output()),
        new GradientCase("cross-attention: 3 queries shared by the batch attend to 5 keys", Set.of("MatMul", "Softmax"),
            DType.DOUBLE, in -> new MultiHeadAttention("xattn", 4, 2).declare(in.g(), TransformerOptions.preNorm())
                .apply(in.g(), in.normal("latents", 3, 4), in.normal("pairs", 2, 5, 4)).output()),
        new GradientCase("adaLN: shift and scale from a conditioning vector (float64 normalisation)",
            Set.of("ReduceMean", "Sqrt", "Sigmoid", "Slice"), DType.DOUBLE, in -> {
              AdaptiveLayerNorm.Declared ada = new AdaptiveLayerNorm("ada", 6, 5, 2, false).declare(in.g());
              List<dev.kiln.graph.Value> m = ada.modulations(in.g(), in.normal("c", 2, 5));
              return ada.modulate(in.g(), in.normal("x", 2, 3, 6), m.get(0), m.get(1));
            }),
        new GradientCase("causal attention step reading and extending a KV cache", Set.of("Concat", "Softmax"),
            DType.DOUBLE, in -> {
              MultiHeadAttention.Cached c = new MultiHeadAttention("attn", 4, 2).declare(in.g(),
                  TransformerOptions.preNorm().withCausal(true)).applyCached(in.g(), in.normal("x", 2, 1, 4),
                  new MultiHeadAttention.Cache(in.normal("past_k", 2, 2, 3, 2), in.normal("past_v", 2, 2, 3, 2)));
              return in.g().concat(0, in.g().reshape(c.output(), -1), in.g().reshape(c.cache().keys(), -1),
                  in.g().reshape(c.cache().values(), -1));
            }),
        new GradientCase("PLANNER decoder reading a latent as soft prefix (tied head)", Set.of("Gather", "Concat"),
            DType.DOUBLE, in -> {
              LatentPrefixDecoder dec = new LatentPrefixDecoder(PLANNER, Activation.TANH);
              return dec.declare(in.g()).logits(in.g(), in.normal("latent", 2, 3, 5), in.indices("tokens", 11, 2, 4));
            }),
        new GradientCase("PLANNER DiT denoiser: adaLN blocks with the prefix in context", Set.of("Sin", "Slice"),
            DType.DOUBLE, in -> new LatentDenoiser(PLANNER, Activation.SILU, false).apply(in.g(), Map.of(
                "x", in.normal("x", 2, 3, 5), "t", in.uniform("t", 0, 999, 2), "label", in.indices("label", 3, 2),
                "prefix", in.indices("prefix", 11, 2, 2)))),
        new GradientCase("σReparam pre-LN transformer block shared by two steps (float64 LayerNorm, vision init)",
            Set.of("Softmax", "ReduceMean", "Sqrt"), DType.DOUBLE, in -> {
              TransformerBlock.Declared block = new TransformerBlock("blk", 8, 2, 2, true, Activation.TANH)
                  .declare(in.g(), TransformerOptions.parse("pre", "vision"));
              return block.apply(in.g(), block.apply(in.g(), in.normal("x", 2, 3, 8)).output()).output();
            }));
  }
}
