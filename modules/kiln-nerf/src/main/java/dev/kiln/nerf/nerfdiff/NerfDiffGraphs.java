package dev.kiln.nerf.nerfdiff;

import dev.kiln.autodiff.Autodiff;
import dev.kiln.diffusion.arch.UNet;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.render.VolumeRenderer;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The graphs NerfDiff runs, each with static sizes. Parameters: the image-to-triplane UNet under
 * {@code encoder.}, the triplane decoder under {@code decoder.} (and {@code triplane.}, none), the
 * conditional diffusion UNet under {@code cdm.}; a triplane finetuned at test time is the parameter
 * {@code plane}. Images enter in [0, 1] as {@code [B, 3, S, S]}; the diffusion model works on
 * {@code 2·image − 1}.
 */
final class NerfDiffGraphs {

  /** White, as the scenes are rendered. */
  static final double[] BACKGROUND = {1, 1, 1};

  private final NerfDiffConfig.Model model;
  private final TriplaneField field;

  NerfDiffGraphs(NerfDiffConfig.Model model) {
    this.model = model;
    this.field = new TriplaneField(new TriplaneField.Config(model.planeChannels(), model.imageSize(),
        model.hidden(), "concat"));
  }

  TriplaneField field() {
    return field;
  }

  NerfDiffConfig.Model model() {
    return model;
  }

  /** W = scale·tanh(UNet(2·image − 1)): {@code image [B, 3, S, S]} → camera-aligned triplanes {@code [B, 3C, S, S]}. */
  Value encode(Graph g, Value image) {
    long b = image.shape().dim(0).size();
    try (var s = g.scope("encoder")) {
      UNet unet = new UNet(unetConfig(3, model.encoderBase()));
      Value x = g.sub(g.mul(image, 2.0), 1.0);
      Value t = g.constant(DType.FLOAT, Shape.of(b), new double[(int) b]);
      Value out = unet.build(g, Map.of("x", x, "t", t), field.config().codeChannels()).get("out");
      return g.mul(g.tanh(out), model.planeScale());
    }
  }

  /**
   * v̂ = CDM(concat(z_t, cond), t), the v-parameterised prediction (v = α_t ε − σ_t x₀, so
   * x̂₀ = α_t z − σ_t v̂ stays bounded at high noise, where an ε-prediction's x̂₀ = (z − σ_t ε̂)/α_t
   * multiplies its error by σ_t/α_t): {@code z [B, 3, S, S]}, {@code cond [B, 3, S, S]} in [−1, 1],
   * {@code t [B]}.
   */
  Value velocity(Graph g, Value z, Value cond, Value t) {
    try (var s = g.scope("cdm")) {
      return new UNet(unetConfig(6, model.cdmBase())).build(g, Map.of("x", g.concat(1, z, cond), "t", t), 3)
          .get("out");
    }
  }

  /**
   * Volume-rendered colours of {@code planes [B, 3C, S, S]} at {@code points [B, R·K, 3]} (triplane
   * coordinates), {@code t} and {@code delta [B·R, K]}: rgb {@code [B·R, 3]}.
   */
  Value render(Graph g, Value planes, Value points, Value t, Value delta) {
    long rays = t.shape().dim(0).size();
    long k = t.shape().dim(1).size();
    TriplaneField.Samples s = field.build(g, planes, points);
    Value density = g.reshape(s.density(), rays, k);
    Value color = g.reshape(s.color(), rays, k, 3);
    return VolumeRenderer.standard().build(g, density, color, t, delta, BACKGROUND).rgb();
  }

  /**
   * The single-image NeRF's loss on {@code pairs} (input, target) pairs with {@code rays} target rays
   * each: inputs {@code image [B, 3, S, S]}, {@code points [B, R·K, 3]} (in each input camera's
   * triplane coordinates), {@code t}, {@code delta [B·R, K]}, {@code target [B·R, 3]}; outputs
   * {@code loss} = mean squared error, {@code rgb [B·R, 3]} and {@code grad:<encoder and decoder parameter>}.
   */
  CompiledGraph nerfLoss(int pairs, int rays, Map<String, Tensor> weights, OrtBackend backend) {
    Graph g = new Graph("nerfdiff_nerf_loss");
    Value image = image(g, "image", pairs);
    Value[] r = rayInputs(g, pairs, rays);
    Value target = g.input("target", Shape.of((long) pairs * rays, 3));
    Value rgb = render(g, encode(g, image), r[0], r[1], r[2]);
    Value loss = g.meanAll(g.square(g.sub(rgb, target)));
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("loss", loss);
    outs.put("rgb", rgb);
    Autodiff.gradients(loss, g.trainableParameters()).forEach((p, dp) -> outs.put("grad:" + p.name(), dp));
    return new CompiledGraph(g, outs, weights, backend);
  }

  /**
   * The conditional diffusion model's v-loss on {@code batch} target views: inputs {@code x0},
   * {@code cond}, {@code noise [B, 3, S, S]} (in [−1, 1]), {@code t}, {@code alpha} (√ᾱ) and
   * {@code sigma} (√(1−ᾱ)) {@code [B]}; with z = αx₀ + σε and v = αε − σx₀,
   * {@code loss} = mean((v̂(z, cond, t) − v)²); outputs {@code loss}, {@code v} and
   * {@code grad:<cdm parameter>}.
   */
  CompiledGraph cdmLoss(int batch, Map<String, Tensor> weights, OrtBackend backend) {
    Graph g = new Graph("nerfdiff_cdm_loss");
    Value x0 = image(g, "x0", batch);
    Value cond = image(g, "cond", batch);
    Value noise = image(g, "noise", batch);
    Value t = g.input("t", Shape.of(batch));
    Value alpha = g.unsqueeze(g.input("alpha", Shape.of(batch)), 1, 2, 3);
    Value sigma = g.unsqueeze(g.input("sigma", Shape.of(batch)), 1, 2, 3);
    Value z = g.add(g.mul(alpha, x0), g.mul(sigma, noise));
    Value v = g.sub(g.mul(alpha, noise), g.mul(sigma, x0));
    Value vhat = velocity(g, z, cond, t);
    Value loss = g.meanAll(g.square(g.sub(vhat, v)));
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("loss", loss);
    outs.put("v", vhat);
    Autodiff.gradients(loss, g.trainableParameters()).forEach((p, dp) -> outs.put("grad:" + p.name(), dp));
    return new CompiledGraph(g, outs, weights, backend);
  }

  /** The conditional diffusion model alone: {@code z}, {@code cond [B, 3, S, S]}, {@code t [B]} → {@code v}. */
  Graph cdm(int batch) {
    Graph g = new Graph("nerfdiff_cdm");
    Value v = velocity(g, image(g, "z", batch), image(g, "cond", batch), g.input("t", Shape.of(batch)));
    g.output("v", v);
    return g;
  }

  /** The encoder alone: {@code image [B, 3, S, S]} → {@code planes [B, 3C, S, S]}. */
  Graph encoder(int batch) {
    Graph g = new Graph("nerfdiff_encoder");
    g.output("planes", encode(g, image(g, "image", batch)));
    return g;
  }

  /**
   * The single-image NeRF as served: {@code image [B, 3, S, S]} and {@code points [B, P, 3]} (in each
   * image's camera-aligned triplane coordinates) → {@code density [B, P]} and {@code color [B, P, 3]}.
   */
  Graph singleImageField(int batch, long points) {
    Graph g = new Graph("nerfdiff_single_image_nerf");
    Value planes = encode(g, image(g, "image", batch));
    TriplaneField.Samples s = field.build(g, planes, g.input("points", Shape.of(batch, points, 3)));
    g.output("density", s.density());
    g.output("color", s.color());
    return g;
  }

  /**
   * Rendering of one triplane held as the parameter {@code plane [1, 3C, S, S]} with the decoder:
   * inputs {@code points [1, R·K, 3]}, {@code t}, {@code delta [R, K]} and, with {@code loss},
   * {@code target [R, 3]}; outputs {@code rgb} and, with {@code loss}, {@code loss} (mean squared
   * error) and {@code grad:plane}, {@code grad:<decoder parameter>}.
   */
  CompiledGraph planeRender(int rays, boolean loss, Map<String, Tensor> weights, OrtBackend backend) {
    Graph g = new Graph(loss ? "nerfdiff_plane_fit" : "nerfdiff_plane_render");
    int s = model.imageSize();
    Value plane = g.parameter("plane", Shape.of(1, field.config().codeChannels(), s, s), Init.zeros());
    Value[] r = rayInputs(g, 1, rays);
    Value rgb = render(g, plane, r[0], r[1], r[2]);
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("rgb", rgb);
    if (loss) {
      Value target = g.input("target", Shape.of(rays, 3));
      Value mse = g.meanAll(g.square(g.sub(rgb, target)));
      outs.put("loss", mse);
      Autodiff.gradients(mse, g.trainableParameters()).forEach((p, dp) -> outs.put("grad:" + p.name(), dp));
    }
    return new CompiledGraph(g, outs, weights, backend);
  }

  /** A graph holding the decoder's parameters only, to initialise a fresh field. */
  Graph fieldParameters() {
    Graph g = new Graph("nerfdiff_field_parameters");
    int s = model.imageSize();
    Value x = g.input("x", Shape.of(1, field.config().codeChannels(), s, s));
    field.build(g, x, g.input("points", Shape.of(1, 1, 3)));
    return g;
  }

  /** A graph holding every parameter (encoder, decoder, CDM), for initialisation. */
  Graph allParameters() {
    Graph g = new Graph("nerfdiff_parameters");
    Value image = image(g, "image", 1);
    Value planes = encode(g, image);
    field.build(g, planes, g.input("points", Shape.of(1, 1, 3)));
    velocity(g, image, image, g.input("t", Shape.of(1)));
    return g;
  }

  private Value image(Graph g, String name, int batch) {
    int s = model.imageSize();
    return g.input(name, Shape.of(batch, 3, s, s));
  }

  /** points [B, R·K, 3], t and delta [B·R, K]. */
  private Value[] rayInputs(Graph g, int batch, int rays) {
    int k = model.samplesPerRay();
    Value points = g.input("points", Shape.of(batch, (long) rays * k, 3));
    Value t = g.input("t", Shape.of((long) batch * rays, k));
    Value delta = g.input("delta", Shape.of((long) batch * rays, k));
    return new Value[] {points, t, delta};
  }

  private UNet.Config unetConfig(int channels, int base) {
    return new UNet.Config(channels, model.imageSize(), base, model.multipliers(), model.groups(), 0);
  }
}
