package dev.kiln.nerf.control3diff;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.autodiff.Autodiff;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A 3D-aware GAN of the EG3D kind trained on single views: z → w → triplane → volume rendering at a
 * camera, judged by a camera-conditioned discriminator. Holds the live weights and compiles the
 * graphs that train and use it:
 *
 * <pre>
 *   L_D = E softplus(D(G(z), π)) + E softplus(−D(x, π_x)) + γ/2 · E‖∇ₓD(x, π_x)‖²      (R1 on real images)
 *   L_G = E softplus(−D(G(z), π))                                                       (non-saturating)
 * </pre>
 *
 * The R1 term is a gradient inside the loss: the discriminator graph holds ∇ₓD built by Kiln's
 * autodiff, and the parameter gradient of L_D differentiates that gradient graph again.
 */
public final class TriplaneGan {

  private final GanNetworks nets;
  private final Map<String, Tensor> generator = new LinkedHashMap<>();
  private final Map<String, Tensor> discriminator = new LinkedHashMap<>();
  private final StratifiedSampler sampler;

  private TriplaneGan(GanConfig config, Map<String, Tensor> weights) {
    this.nets = new GanNetworks(config);
    this.sampler = new StratifiedSampler(config.samplesPerRay(), Aabb.unit(), 0.0);
    weights.forEach((name, w) -> (name.startsWith("generator.") ? generator : discriminator).put(name, w));
  }

  /** Fresh weights from {@code seed}. */
  public static TriplaneGan initialize(GanConfig config, long seed) {
    GanNetworks nets = new GanNetworks(config);
    Graph full = new Graph("control3diff_gan");
    Value zz = full.input("z", Shape.of(1, config.latent()));
    Value planes = nets.synthesis(full, nets.mapping(full, zz));
    int k = config.samplesPerRay();
    Value image = nets.render(full, planes, full.input("points", Shape.of(1, (long) config.pixels() * k, 3)),
        full.input("t", Shape.of(config.pixels(), k)), full.input("delta", Shape.of(config.pixels(), k)));
    nets.discriminator(full).apply(full, image, full.input("pose", Shape.of(1, GanNetworks.CAMERA_FEATURES)));
    return new TriplaneGan(config, Weights.initialize(full, seed).asMap());
  }

  /** A GAN with the given weights (by parameter name), as saved from {@link #weights()}. */
  public static TriplaneGan of(GanConfig config, Map<String, Tensor> weights) {
    return new TriplaneGan(config, weights);
  }

  public GanConfig config() {
    return nets.config();
  }

  /** Generator weights (mapping, synthesis, decoder), live. */
  public Map<String, Tensor> generatorWeights() {
    return generator;
  }

  /** Discriminator weights, live. */
  public Map<String, Tensor> discriminatorWeights() {
    return discriminator;
  }

  /** Every weight by name (live). */
  public Map<String, Tensor> weights() {
    Map<String, Tensor> all = new LinkedHashMap<>(generator);
    all.putAll(discriminator);
    return all;
  }

  GanNetworks networks() {
    return nets;
  }

  /** The rendering of triplanes given as graph values, reading ray inputs {@code points}, {@code t}, {@code delta}. */
  Value renderRays(Graph g, Value planes, int batch) {
    int k = config().samplesPerRay();
    long rays = (long) batch * config().pixels();
    return nets.render(g, planes, g.input("points", Shape.of(batch, (long) config().pixels() * k, 3)),
        g.input("t", Shape.of(rays, k)), g.input("delta", Shape.of(rays, k)));
  }

  /** z [B, Z] → w [B, W]. */
  public CompiledGraph mapping(int batch, OrtBackend backend) {
    Graph g = new Graph("control3diff_mapping");
    Value w = nets.mapping(g, g.input("z", Shape.of(batch, config().latent())));
    return new CompiledGraph(g, Map.of("w", w), generator, backend);
  }

  /** w → images and triplanes: outputs {@code image [B, 3, H, W]} and {@code planes [B, 3C, S, S]}. */
  public CompiledGraph renderer(int batch, OrtBackend backend) {
    Graph g = new Graph("control3diff_render");
    Value w = g.input("w", Shape.of(batch, config().style()));
    Value planes = nets.synthesis(g, w);
    Value image = renderRays(g, planes, batch);
    return new CompiledGraph(g, Map.of("image", image, "planes", planes), generator, backend);
  }

  /**
   * The generator and renderer as a plain ONNX model with the generator's weights as initializers:
   * inputs {@code w [B, W]}, {@code points}, {@code t}, {@code delta} (as {@link #fillRays} writes
   * them), output {@code image [B, 3, H, W]}; metadata records the GAN's settings and {@code provenance}.
   */
  public byte[] exportRenderer(int batch, String configJson, Map<String, String> provenance) {
    Graph g = new Graph("control3diff_generator");
    Value w = g.input("w", Shape.of(batch, config().style()));
    g.output("image", renderRays(g, nets.synthesis(g, w), batch));
    Map<String, TensorProto> protos = new LinkedHashMap<>();
    generator.forEach((k, v) -> protos.put(k, v.toProto()));
    return ModelWriter.of(g).weights(protos).metadata(provenance).metadata("gan_config", configJson)
        .docString("Control3Diff generator: style w and camera ray samples -> rendered image").toBytes();
  }

  /** The generator step: {@code z}, rays, {@code pose} → {@code loss} = E softplus(−D(G(z), π)) and its generator gradients. */
  CompiledGraph generatorLoss(int batch, OrtBackend backend) {
    Graph g = new Graph("control3diff_generator_loss");
    Value z = g.input("z", Shape.of(batch, config().latent()));
    Value pose = g.input("pose", Shape.of(batch, GanNetworks.CAMERA_FEATURES));
    Value image = renderRays(g, nets.synthesis(g, nets.mapping(g, z)), batch);
    Value logits = nets.discriminator(g).apply(g, image, pose);
    Value loss = g.meanAll(g.softplus(g.neg(logits)));
    List<Value> wrt = g.trainableParameters().stream().filter(p -> p.name().startsWith("generator.")).toList();
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("loss", loss);
    outs.put("image", image);
    Autodiff.gradients(loss, wrt).forEach((p, d) -> outs.put("grad:" + p.name(), d));
    return new CompiledGraph(g, outs, weights(), backend);
  }

  /**
   * The discriminator step: {@code real}, {@code real_pose}, {@code fake}, {@code fake_pose} →
   * {@code loss} (L_D with R1), {@code r1} (E‖∇ₓD‖²), mean logits, and discriminator gradients.
   */
  CompiledGraph discriminatorLoss(int batch, OrtBackend backend) {
    Graph g = new Graph("control3diff_discriminator_loss");
    int side = config().imageSize();
    Value real = g.input("real", Shape.of(batch, 3, side, side));
    Value fake = g.input("fake", Shape.of(batch, 3, side, side));
    Value realPose = g.input("real_pose", Shape.of(batch, GanNetworks.CAMERA_FEATURES));
    Value fakePose = g.input("fake_pose", Shape.of(batch, GanNetworks.CAMERA_FEATURES));
    GanNetworks.Discriminator d = nets.discriminator(g);
    Value realLogits = d.apply(g, real, realPose);
    Value fakeLogits = d.apply(g, fake, fakePose);
    Value gradReal = Autodiff.gradients(g.sumAll(realLogits), List.of(real)).get(real);
    Value r1 = g.div(g.sumAll(g.square(gradReal)), batch);
    Value adversarial = g.add(g.meanAll(g.softplus(fakeLogits)), g.meanAll(g.softplus(g.neg(realLogits))));
    Value loss = g.add(adversarial, g.mul(r1, config().r1Gamma() / 2));
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("loss", loss);
    outs.put("r1", r1);
    outs.put("real_logit", g.meanAll(realLogits));
    outs.put("fake_logit", g.meanAll(fakeLogits));
    Autodiff.gradients(loss, g.trainableParameters()).forEach((p, dp) -> outs.put("grad:" + p.name(), dp));
    return new CompiledGraph(g, outs, discriminator, backend);
  }

  /**
   * Writes the stratified samples of every pixel of {@code cameras.get(b)} into {@code program}'s
   * {@code points}, {@code t} and {@code delta}; {@code jitter} null gives bin midpoints.
   */
  void fillRays(CompiledGraph program, List<Camera> cameras, RandomGenerator jitter) {
    int k = config().samplesPerRay();
    int p = config().pixels();
    FloatBuffer points = program.in("points").floats();
    FloatBuffer t = program.reads("t") ? program.in("t").floats() : null;
    FloatBuffer delta = program.in("delta").floats();
    for (int b = 0; b < cameras.size(); b++) {
      RaySamples s = sampler.sample(cameras.get(b).rays(), jitter);
      points.put(b * p * k * 3, s.points());
      if (t != null) {
        t.put(b * p * k, s.t());
      }
      delta.put(b * p * k, s.delta());
    }
  }

  /** The camera as the discriminator reads it, written at row {@code row} of {@code into [B, 12]}. */
  static void writePose(Camera camera, Tensor into, int row) {
    double[] m = camera.c2w();
    double radius = Math.sqrt(m[3] * m[3] + m[7] * m[7] + m[11] * m[11]);
    for (int i = 0; i < 12; i++) {
      double v = (i % 4 == 3) ? m[i] / radius : m[i];
      into.set(row * 12 + i, v);
    }
  }

  /**
   * Renders styles {@code w} (one float[W] each) from {@code cameras} (one per style) with bin
   * midpoints; one image [3, H, W] per style.
   */
  public List<float[]> render(List<float[]> w, List<Camera> cameras, OrtBackend backend) {
    try (CompiledGraph r = renderer(w.size(), backend)) {
      return render(r, w, cameras);
    }
  }

  /** Renders through an already compiled {@link #renderer}. */
  public List<float[]> render(CompiledGraph renderer, List<float[]> w, List<Camera> cameras) {
    FloatBuffer in = renderer.in("w").floats();
    int size = config().style();
    for (int b = 0; b < w.size(); b++) {
      in.put(b * size, w.get(b));
    }
    fillRays(renderer, cameras, null);
    renderer.run();
    float[] all = renderer.out("image").toFloatArray();
    int n = 3 * config().pixels();
    List<float[]> images = new ArrayList<>();
    for (int b = 0; b < w.size(); b++) {
      float[] img = new float[n];
      System.arraycopy(all, b * n, img, 0, n);
      images.add(img);
    }
    return images;
  }

  /** Styles w = mapping(z) of {@code count} latents z ~ N(0, I) drawn from {@code rng}. */
  public List<float[]> sampleStyles(int count, RandomGenerator rng, OrtBackend backend) {
    try (CompiledGraph m = mapping(count, backend)) {
      FloatBuffer z = m.in("z").floats();
      for (int i = 0, n = z.capacity(); i < n; i++) {
        z.put(i, (float) rng.nextGaussian());
      }
      m.run();
      float[] all = m.out("w").toFloatArray();
      List<float[]> out = new ArrayList<>();
      int size = config().style();
      for (int b = 0; b < count; b++) {
        float[] w = new float[size];
        System.arraycopy(all, b * size, w, 0, size);
        out.add(w);
      }
      return out;
    }
  }
}
