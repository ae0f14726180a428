package dev.kiln.diffusion.arch;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.GroupNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Mlp;
import dev.kiln.nn.SinusoidalEmbedding;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small UNet for square images (28×28 digits): residual blocks with GroupNorm and SiLU, the time
 * embedding added inside every block, strided-convolution downsampling, nearest upsampling with skip
 * concatenation, and a zero-initialised output convolution. With {@code num_classes > 0} a class
 * embedding is added to the time embedding; label {@code num_classes} means "no class", which
 * classifier-free guidance uses.
 *
 * <p>Inputs {@code x [N, C, S, S]}, {@code t [N]}, and {@code label [N]} (int64) when
 * class-conditional; output {@code out [N, C, S, S]}.
 *
 * @param config sizes
 */
public record UNet(Config config) implements Architecture {

  /**
   * @param channels image channels
   * @param size image side (divisible by 2^levels)
   * @param base channels at full resolution
   * @param multipliers channel multiplier per resolution level
   * @param groups GroupNorm groups
   * @param numClasses number of classes for conditioning (0: unconditional)
   */
  public record Config(Integer channels, Integer size, Integer base, List<Integer> multipliers, Integer groups,
      Integer numClasses) {
    public Config {
      channels = channels == null ? 1 : channels;
      size = size == null ? 28 : size;
      base = base == null ? 32 : base;
      multipliers = multipliers == null ? List.of(1, 2, 2) : List.copyOf(multipliers);
      groups = groups == null ? 8 : groups;
      numClasses = numClasses == null ? 0 : numClasses;
      int levels = multipliers.size() - 1;
      if (size % (1 << levels) != 0) {
        throw new IllegalArgumentException("unet: size " + size + " is not divisible by 2^" + levels
            + " (one halving per extra multiplier)");
      }
      for (int m : multipliers) {
        if ((base * m) % groups != 0) {
          throw new IllegalArgumentException("unet: channels " + base * m + " are not divisible by groups " + groups);
        }
      }
    }
  }

  @Override
  public List<ModelInput> inputs() {
    List<ModelInput> in = new ArrayList<>(List.of(
        ModelInput.batched("x", config.channels(), config.size(), config.size()),
        new ModelInput("t", DType.FLOAT, Shape.batched("N"), 0, 999)));
    if (config.numClasses() > 0) {
      in.add(new ModelInput("label", DType.INT64, Shape.batched("N"), 0, config.numClasses() + 1));
    }
    return in;
  }

  @Override
  public List<String> outputs() {
    return List.of("out");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> in) {
    return build(g, in, config.channels());
  }

  /**
   * The same network with an output of {@code outChannels} channels instead of the input's: a
   * conditional denoiser reads its condition as extra input channels but predicts only the image's,
   * and an encoder maps an image to feature maps.
   */
  public Map<String, Value> build(Graph g, Map<String, Value> in, long outChannels) {
    long base = config.base();
    long tdim = 4 * base;
    Value temb = new Mlp("time", new long[] {base, tdim, tdim}, Activation.SILU, false)
        .apply(g, SinusoidalEmbedding.of(base).apply(g, in.get("t")));
    if (config.numClasses() > 0) {
      temb = g.add(temb, new Embedding("class", config.numClasses() + 1, tdim, Init.normal(0.02))
          .apply(g, in.get("label")));
    }
    temb = g.silu(temb);
    List<Integer> mult = config.multipliers();
    Value h = Conv2d.same("in", config.channels(), base, 3).apply(g, in.get("x"));
    List<Value> skips = new ArrayList<>();
    long ch = base;
    for (int level = 0; level < mult.size(); level++) {
      long out = base * mult.get(level);
      h = resBlock(g, "down" + level, h, ch, out, temb, tdim);
      ch = out;
      skips.add(h);
      if (level < mult.size() - 1) {
        h = Conv2d.of("down" + level + ".pool", ch, ch, 3, 2, 1).apply(g, h);
      }
    }
    h = resBlock(g, "mid", h, ch, ch, temb, tdim);
    for (int level = mult.size() - 1; level >= 0; level--) {
      long out = base * mult.get(level);
      Value skip = skips.get(level);
      if (level < mult.size() - 1) {
        h = g.resize(h, new double[] {1, 1, 2, 2}, "nearest");
      }
      h = resBlock(g, "up" + level, g.concat(1, h, skip), ch + skip.shape().dim(1).size(), out, temb, tdim);
      ch = out;
    }
    h = g.silu(GroupNorm.of("out.norm", config.groups(), ch).apply(g, h));
    h = Conv2d.same("out.conv", ch, outChannels, 3).withInit(Init.zeros()).apply(g, h);
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("out", h);
    return outs;
  }

  /** GroupNorm → SiLU → conv → + time projection → GroupNorm → SiLU → conv, plus a (1×1-projected) skip. */
  private Value resBlock(Graph g, String name, Value x, long in, long out, Value temb, long tdim) {
    try (var s = g.scope(name)) {
      Value h = Conv2d.same("conv1", in, out, 3).apply(g, g.silu(GroupNorm.of("norm1", groups(in), in).apply(g, x)));
      Value t = Linear.of("time", tdim, out).apply(g, temb);
      h = g.add(h, g.unsqueeze(t, 2, 3));
      h = Conv2d.same("conv2", out, out, 3).apply(g, g.silu(GroupNorm.of("norm2", groups(out), out).apply(g, h)));
      Value skip = in == out ? x : Conv2d.same("skip", in, out, 1).apply(g, x);
      return g.add(h, skip);
    }
  }

  private long groups(long channels) {
    long gr = config.groups();
    while (channels % gr != 0) {
      gr--;
    }
    return gr;
  }
}
