package dev.kiln.nerf.control3diff;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.NnOps.ConvOptions;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.render.VolumeRenderer;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Linear;

/**
 * The triplane GAN's networks as graph builders, in the EG3D layout at small scale (Chan et al.,
 * arXiv 2112.07945): a mapping network z → w; a convolutional synthesis network w → triplane
 * {@code [B, 3C, S, S]} (a learned 4×4·S/16 start, two nearest-neighbour ×2 upsamplings, leaky ReLU
 * 0.2); Kiln's triplane decoder and volume renderer; and a camera-conditioned convolutional
 * discriminator with StyleGAN's minibatch standard-deviation feature, whose logit is
 * {@code ψ(φ(x)) + ⟨φ(x), embed(camera)⟩} (the projection form of StyleGAN2-ADA's conditional
 * discriminator). Generator parameters live under {@code generator.},
 * the discriminator's under {@code discriminator.}.
 */
final class GanNetworks {

  static final double SLOPE = 0.2;
  /** White, as the procedural scenes. */
  static final double[] BACKGROUND = {1, 1, 1};
  /** The camera as the discriminator sees it: the 3×4 camera-to-world matrix, position divided by the radius. */
  static final int CAMERA_FEATURES = 12;

  private final GanConfig config;
  private final TriplaneField field;

  GanNetworks(GanConfig config) {
    this.config = config;
    this.field = new TriplaneField(config.field());
  }

  TriplaneField field() {
    return field;
  }

  GanConfig config() {
    return config;
  }

  /** z [B, Z] → w [B, W]: z normalised to unit second moment, then three linear layers. */
  Value mapping(Graph g, Value z) {
    try (var s = g.scope("generator")) {
      try (var m = g.scope("mapping")) {
        Value norm = g.sqrt(g.add(g.reduceMean(g.square(z), true, 1), 1e-8));
        Value h = g.div(z, norm);
        h = g.leakyRelu(Linear.of("fc0", config.latent(), config.mappingWidth()).apply(g, h), SLOPE);
        h = g.leakyRelu(Linear.of("fc1", config.mappingWidth(), config.mappingWidth()).apply(g, h), SLOPE);
        return Linear.of("fc2", config.mappingWidth(), config.style()).apply(g, h);
      }
    }
  }

  /** w [B, W] → triplane [B, 3C, S, S]. */
  Value synthesis(Graph g, Value w) {
    long b = w.shape().dim(0).size();
    int ch = config.synthesisChannels();
    int s0 = config.field().resolution() / 4;
    try (var s = g.scope("generator")) {
      try (var syn = g.scope("synthesis")) {
        Value h = Linear.of("start", config.style(), (long) ch * s0 * s0).apply(g, w);
        h = g.leakyRelu(g.reshape(h, b, ch, s0, s0), SLOPE);
        h = g.resize(h, new double[] {1, 1, 2, 2}, "nearest");
        h = g.leakyRelu(Conv2d.same("conv8", ch, ch, 3).apply(g, h), SLOPE);
        h = g.resize(h, new double[] {1, 1, 2, 2}, "nearest");
        h = g.leakyRelu(Conv2d.same("conv16", ch, ch, 3).apply(g, h), SLOPE);
        return Conv2d.same("planes", ch, config.field().codeChannels(), 1).apply(g, h);
      }
    }
  }

  /**
   * Renders triplanes {@code planes [B, 3C, S, S]} at {@code points [B, P·K, 3]} with bins
   * {@code t}, {@code delta [B·P, K]}: images {@code [B, 3, H, W]} in [0, 1]; the decoder's parameters
   * live under {@code generator.decoder.}.
   */
  Value render(Graph g, Value planes, Value points, Value t, Value delta) {
    long b = planes.shape().dim(0).size();
    int k = config.samplesPerRay();
    int side = config.imageSize();
    try (var s = g.scope("generator")) {
      TriplaneField.Samples f = field.build(g, planes, points);
      Value density = g.reshape(f.density(), b * config.pixels(), k);
      Value color = g.reshape(f.color(), b * config.pixels(), k, 3);
      Value rgb = VolumeRenderer.standard().build(g, density, color, t, delta, BACKGROUND).rgb();
      return g.transpose(g.reshape(rgb, b, side, side, 3), 0, 3, 1, 2);
    }
  }

  /** The discriminator's parameters, declared once so real and fake images share them. */
  record Discriminator(Value[] convWeights, Value[] convBiases, Linear.Declared features, Linear.Declared head,
      Linear.Declared camera, int[] strides) {

    /** Logits [B] of images {@code [B, 3, H, W]} in [0, 1] seen from {@code pose [B, 12]}. */
    Value apply(Graph g, Value image, Value pose) {
      try (var s = g.scope("discriminator")) {
        Value h = g.sub(g.mul(image, 2.0), 1.0);
        for (int i = 0; i < convWeights.length; i++) {
          h = g.leakyRelu(g.conv(h, convWeights[i], convBiases[i], ConvOptions.of(2, strides[i], 1)), SLOPE);
        }
        Value flat = g.reshape(minibatchStd(g, h), h.shape().dim(0).size(), -1);
        Value phi = g.leakyRelu(features.apply(g, flat), SLOPE);
        Value unconditional = g.reshape(head.apply(g, phi), -1);
        Value projection = g.reduceSum(g.mul(phi, camera.apply(g, pose)), false, 1);
        return g.add(unconditional, projection);
      }
    }
  }

  /** Images per group of the minibatch standard-deviation feature (StyleGAN2's and EG3D's 4). */
  static final int STD_GROUP = 4;

  /**
   * StyleGAN's minibatch standard deviation: {@code h [B, C, H, W]} gains one channel holding, for
   * each group of G images (rows b, b + B/G, …), the mean over C, H, W of the per-feature standard
   * deviation within the group. A collapsed generator gives fakes with no spread, which this feature
   * lets the discriminator see. G = gcd(B, 4).
   */
  static Value minibatchStd(Graph g, Value h) {
    long b = h.shape().dim(0).size();
    long c = h.shape().dim(1).size();
    long hh = h.shape().dim(2).size();
    long ww = h.shape().dim(3).size();
    long group = b % STD_GROUP == 0 ? STD_GROUP : (b % 2 == 0 ? 2 : 1);
    Value y = g.reshape(h, group, b / group, c, hh, ww);
    y = g.sub(y, g.reduceMean(y, true, 0));
    Value std = g.sqrt(g.add(g.reduceMean(g.square(y), false, 0), 1e-8));
    Value perGroup = g.reduceMean(std, true, 1, 2, 3);
    Value feature = g.tile(g.unsqueeze(perGroup, 0), group, 1, 1, hh, ww);
    return g.concat(1, h, g.reshape(feature, b, 1, hh, ww));
  }

  /**
   * Declares the discriminator: 3×3 convolutions at strides 1, 2, 2 (H → H/4), the minibatch
   * standard deviation, a linear feature layer.
   */
  Discriminator discriminator(Graph g) {
    int c = config.discriminatorChannels();
    long[] widths = {3, c, 2L * c, 2L * c};
    int[] strides = {1, 2, 2};
    Value[] w = new Value[3];
    Value[] bias = new Value[3];
    try (var s = g.scope("discriminator")) {
      for (int i = 0; i < 3; i++) {
        try (var conv = g.scope("conv" + i)) {
          w[i] = g.parameter("weight", Shape.of(widths[i + 1], widths[i], 3, 3), Init.kaimingUniform());
          bias[i] = g.parameter("bias", Shape.of(widths[i + 1]), Init.zeros());
        }
      }
      int side = config.imageSize() / 4;
      long flat = (2L * c + 1) * side * side;
      long phi = 4L * c;
      return new Discriminator(w, bias, Linear.of("features", flat, phi).declare(g),
          Linear.of("head", phi, 1).declare(g), Linear.of("camera", CAMERA_FEATURES, phi).declare(g), strides);
    }
  }
}
