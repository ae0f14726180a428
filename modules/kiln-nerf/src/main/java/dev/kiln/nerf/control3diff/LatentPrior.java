package dev.kiln.nerf.control3diff;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.autodiff.Autodiff;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Linear;
import dev.kiln.nn.SinusoidalEmbedding;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.train.MetricsLog;
import dev.kiln.train.Optimizer;
import dev.kiln.train.OptimizerConfig;
import dev.kiln.train.Progress;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A diffusion model over the GAN's styles w, conditioned on a control c = f(I) and the camera π it
 * was seen from, trained with the plain ε objective on GAN samples and nothing else:
 *
 * <pre>
 *   x = (w − μ)/s (per-dimension mean and spread of the GAN's w),  x_t = α_t x + σ_t ε
 *   L = E_{t, ε, (w, π, I)} ‖ε̂(x_t, t, e(c, π)) − ε‖²,   e(c, π) replaced by a learned null with probability p
 * </pre>
 *
 * The control goes through a four-layer convolutional encoder to a vector, π through a linear layer;
 * their sum, added to the time embedding, modulates every residual block (FiLM). Dropping the
 * control with probability p (classifier-free dropout) trains the unconditional model in the same
 * network; an unconditional prior is the same network trained with p = 1 (no control is ever read).
 */
public final class LatentPrior {

  private final PriorConfig config;
  private final ControlSignal control;
  private final int style;
  private final int side;
  private final NoiseSchedule schedule;
  private final Map<String, Tensor> weights;
  private final float[] mean;
  private final float[] spread;

  private LatentPrior(PriorConfig config, ControlSignal control, int style, int side, Map<String, Tensor> weights,
      float[] mean, float[] spread) {
    this.config = config;
    this.control = control;
    this.style = style;
    this.side = side;
    this.schedule = NoiseSchedule.of(config.timesteps(), config.betaStart(), config.betaEnd(), BetaSchedule.LINEAR,
        null, false);
    this.weights = weights;
    this.mean = mean;
    this.spread = spread;
  }

  /**
   * A fresh prior over styles of size {@code style}, conditioned on {@code control} ({@code null}:
   * unconditional) at images of {@code side} pixels; normalised by the statistics of {@code data}.
   */
  public static LatentPrior initialize(PriorConfig config, ControlSignal control, int style, int side,
      GanSamples data, long seed) {
    float[] mean = new float[style];
    float[] spread = new float[style];
    for (float[] w : data.styles()) {
      for (int i = 0; i < style; i++) {
        mean[i] += w[i] / data.size();
      }
    }
    for (float[] w : data.styles()) {
      for (int i = 0; i < style; i++) {
        spread[i] += (w[i] - mean[i]) * (w[i] - mean[i]) / data.size();
      }
    }
    for (int i = 0; i < style; i++) {
      spread[i] = (float) Math.sqrt(spread[i] + 1e-8);
    }
    LatentPrior shell = new LatentPrior(config, control, style, side, Map.of(), mean, spread);
    Inputs in = shell.inputs("control3diff_prior", 1);
    in.predict(shell);
    return new LatentPrior(config, control, style, side, Weights.initialize(in.g(), seed).asMap(), mean, spread);
  }

  /** A prior with trained weights and the normalisation it was trained with. */
  public static LatentPrior of(PriorConfig config, ControlSignal control, int style, int side,
      Map<String, Tensor> weights, float[] mean, float[] spread) {
    if (mean.length != style || spread.length != style) {
      throw new IllegalArgumentException("mean and spread must hold " + style + " values, got " + mean.length + " and "
          + spread.length);
    }
    return new LatentPrior(config, control, style, side, weights, mean.clone(), spread.clone());
  }

  public PriorConfig config() {
    return config;
  }

  /** The control it reads, or null when unconditional. */
  public ControlSignal control() {
    return control;
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  /** Weights by name (live). */
  public Map<String, Tensor> weights() {
    return weights;
  }

  /** x = (w − μ)/s. */
  public float[] normalize(float[] w) {
    float[] x = new float[style];
    for (int i = 0; i < style; i++) {
      x[i] = (w[i] - mean[i]) / spread[i];
    }
    return x;
  }

  /** w = μ + s·x. */
  public float[] denormalize(float[] x) {
    float[] w = new float[style];
    for (int i = 0; i < style; i++) {
      w[i] = mean[i] + spread[i] * x[i];
    }
    return w;
  }

  /** Per-dimension spread s of w (x = (w − μ)/s), for chain rules from w to x. */
  float[] spread() {
    return spread.clone();
  }

  int style() {
    return style;
  }

  private int controlChannels() {
    return control == null ? 1 : control.channels();
  }

  /**
   * The denoiser's inputs: {@code x_t [B, W]}, {@code t [B]} (float), {@code control [B, C, H, W]},
   * {@code pose [B, 12]}, {@code keep [B, 1]} (1 reads the control, 0 the null embedding).
   */
  private record Inputs(Graph g, Value xt, Value t, Value control, Value pose, Value keep) {
    Value predict(LatentPrior prior) {
      return prior.predict(g, xt, t, control, pose, keep);
    }
  }

  private Inputs inputs(String name, int batch) {
    Graph g = new Graph(name);
    return new Inputs(g, g.input("x_t", Shape.of(batch, style)), g.input("t", Shape.of(batch)),
        g.input("control", Shape.of(batch, controlChannels(), side, side)),
        g.input("pose", Shape.of(batch, GanNetworks.CAMERA_FEATURES)), g.input("keep", Shape.of(batch, 1)));
  }

  private Value predict(Graph g, Value xt, Value t, Value c, Value pose, Value keep) {
    int e = config.embedding();
    int h = config.hidden();
    try (var s = g.scope("prior")) {
      Value time = Linear.of("time1", e, e).apply(g, g.silu(Linear.of("time0", e, e).apply(g,
          SinusoidalEmbedding.of(e).apply(g, t))));
      Value cond = g.add(encode(g, c), Linear.of("pose", GanNetworks.CAMERA_FEATURES, e).apply(g, pose));
      Value none = g.parameter("null", Shape.of(1, e), Init.zeros());
      Value emb = g.silu(g.add(time, g.add(g.mul(keep, cond), g.mul(g.sub(1.0, keep), none))));
      Value x = Linear.of("in", style, h).apply(g, xt);
      for (int b = 0; b < config.blocks(); b++) {
        try (var blk = g.scope("block" + b)) {
          Value a = Linear.of("fc0", h, h).apply(g, g.silu(x));
          Value film = Linear.of("film", e, 2L * h).withInit(Init.zeros()).apply(g, emb);
          Value scale = g.slice(film, 1, 0, h);
          Value shift = g.slice(film, 1, h, 2L * h);
          a = g.add(g.mul(a, g.add(scale, 1.0)), shift);
          x = g.add(x, Linear.of("fc1", h, h).apply(g, g.silu(a)));
        }
      }
      return Linear.of("out", h, style).withInit(Init.zeros()).apply(g, g.silu(x));
    }
  }

  /** Control [B, C, H, W] → [B, E]: 3×3 convolutions at strides 1, 2, 2, 2, SiLU, then linear. */
  private Value encode(Graph g, Value c) {
    int ch = config.encoderChannels();
    try (var s = g.scope("encoder")) {
      Value h = g.silu(Conv2d.of("conv0", controlChannels(), ch, 3, 1, 1).apply(g, c));
      h = g.silu(Conv2d.of("conv1", ch, 2L * ch, 3, 2, 1).apply(g, h));
      h = g.silu(Conv2d.of("conv2", 2L * ch, 4L * ch, 3, 2, 1).apply(g, h));
      h = g.silu(Conv2d.of("conv3", 4L * ch, 4L * ch, 3, 2, 1).apply(g, h));
      long flat = 4L * ch * (side / 8) * (side / 8);
      return Linear.of("out", flat, config.embedding()).apply(g, g.reshape(h, h.shape().dim(0).size(), flat));
    }
  }

  /** The denoiser compiled for {@code batch} rows, on the live weights. */
  public CompiledGraph denoiser(int batch, OrtBackend backend) {
    Inputs in = inputs("control3diff_prior", batch);
    return new CompiledGraph(in.g(), Map.of("eps", in.predict(this)), weights, backend);
  }

  /**
   * The denoiser as a plain ONNX model with its weights as initializers (inputs as
   * {@link #denoiser}, output {@code eps}); metadata records the control and the normalisation.
   */
  public byte[] export(int batch, Map<String, String> metadata) {
    Inputs in = inputs("control3diff_prior", batch);
    in.g().output("eps", in.predict(this));
    Map<String, TensorProto> protos = new LinkedHashMap<>();
    weights.forEach((k, v) -> protos.put(k, v.toProto()));
    return ModelWriter.of(in.g()).weights(protos).metadata(metadata)
        .docString("Control3Diff latent denoiser: x_t, t, control, pose, keep -> eps").toBytes();
  }

  /** One logged training point. */
  public record Point(int step, double loss, double seconds) {}

  /**
   * Trains on {@code data} for {@code config.steps()} steps: each example is a random pool sample
   * with its control computed from its rendering; the control is kept with probability 1 − p (never
   * for an unconditional prior).
   */
  public List<Point> train(GanSamples data, OrtBackend backend, long seed, int logEvery, MetricsLog metrics,
      PrintStream progress) {
    int b = config.batch();
    List<float[]> controls = new ArrayList<>();
    for (float[] img : data.images()) {
      controls.add(control == null ? null : control.of(img, side));
    }
    Inputs in = inputs("control3diff_prior_loss", b);
    Graph g = in.g();
    Value noise = g.input("noise", Shape.of(b, style));
    Value loss = g.meanAll(g.square(g.sub(in.predict(this), noise)));
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("loss", loss);
    Autodiff.gradients(loss, g.trainableParameters()).forEach((p, d) -> outs.put("grad:" + p.name(), d));
    List<Point> points = new ArrayList<>();
    long start = System.nanoTime();
    Progress bar = progress == null ? null : new Progress(control == null ? "prior" : "prior|" + control.id(), 0,
        config.steps(), progress);
    try (CompiledGraph step = new CompiledGraph(g, outs, weights, backend)) {
      List<Optimizer.Slot> slots = new ArrayList<>();
      weights.forEach((name, w) -> slots.add(new Optimizer.Slot(name, w, step.out("grad:" + name), false)));
      Optimizer opt = Optimizer.create(OptimizerConfig.adam(config.lr()), slots);
      int cs = controlChannels() * side * side;
      for (int it = 1; it <= config.steps(); it++) {
        SplittableRandom rng = Seeds.rng(seed, "prior-step", it);
        FloatBuffer xb = step.in("x_t").floats();
        FloatBuffer nb = step.in("noise").floats();
        FloatBuffer cb = step.in("control").floats();
        for (int i = 0; i < b; i++) {
          int k = rng.nextInt(data.size());
          int ti = rng.nextInt(schedule.numTrainTimesteps());
          double ab = schedule.alphaCumprod(ti);
          double a = Math.sqrt(ab);
          double sg = Math.sqrt(1 - ab);
          float[] x0 = normalize(data.styles().get(k));
          for (int d = 0; d < style; d++) {
            double eps = rng.nextGaussian();
            nb.put(i * style + d, (float) eps);
            xb.put(i * style + d, (float) (a * x0[d] + sg * eps));
          }
          step.in("t").set(i, ti);
          boolean kept = control != null && rng.nextDouble() >= config.dropout();
          step.in("keep").set(i, kept ? 1 : 0);
          if (kept) {
            cb.put(i * cs, controls.get(k));
          } else {
            for (int j = 0; j < cs; j++) {
              cb.put(i * cs + j, 0f);
            }
          }
          TriplaneGan.writePose(data.cameras().get(k), step.in("pose"), i);
        }
        step.run();
        opt.step(config.lr(), it);
        if (it % logEvery == 0 || it == config.steps()) {
          Point p = new Point(it, step.out("loss").get(0), (System.nanoTime() - start) / 1e9);
          points.add(p);
          if (metrics != null) {
            metrics.write(it, Map.of("loss", p.loss()));
          }
          if (bar != null) {
            bar.report(it, Map.of("loss", p.loss()));
          }
        }
      }
    }
    return points;
  }
}
