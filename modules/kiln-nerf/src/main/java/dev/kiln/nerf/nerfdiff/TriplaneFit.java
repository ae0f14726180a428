package dev.kiln.nerf.nerfdiff;

import dev.kiln.graph.DType;
import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.nerf.ssd.SceneRays;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.train.Optimizer;
import dev.kiln.train.OptimizerConfig;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One triplane and its decoder fitted by Adam to the pixels of some views: NerfDiff's test-time
 * finetuning of (W, θ) in the input camera's triplane coordinates ({@link CameraAlignedPoints}), and
 * a fresh world-frame NeRF when scoring how 3D-consistent a set of views is. Each step draws
 * {@code rays} pixels with replacement from a pool and samples them with stratified jitter. The
 * graphs are compiled once; {@link #start} and {@link #startFresh} load new starting values into the
 * same tensors and reset the optimizer, so one instance serves many fits.
 */
public final class TriplaneFit implements AutoCloseable {

  private final NerfDiffGraphs graphs;
  private final NerfDiffConfig.Model model;
  private final int rays;
  private final StratifiedSampler sampler;
  private final Map<String, Tensor> weights;
  private final CompiledGraph fit;
  private final CompiledGraph render;
  private Camera frame;
  private Optimizer adam;
  private long steps;

  /** A fitter of {@code rays} rays per step for {@code nerfDiff}'s field sizes; call a start method before stepping. */
  public TriplaneFit(NerfDiff nerfDiff, int rays, OrtBackend backend) {
    this.graphs = nerfDiff.graphs();
    this.model = graphs.model();
    this.rays = rays;
    this.sampler = new StratifiedSampler(model.samplesPerRay(), Aabb.unit(), 0.0);
    int s = model.imageSize();
    this.weights = new LinkedHashMap<>();
    weights.put("plane", Tensor.zeros(DType.FLOAT, 1, graphs.field().config().codeChannels(), s, s));
    nerfDiff.decoderCopy().forEach(weights::put);
    this.fit = graphs.planeRender(rays, true, weights, backend);
    this.render = graphs.planeRender(model.pixels(), false, weights, backend);
  }

  /**
   * Starts a fit from triplane {@code plane} and decoder {@code decoder} (both copied) in the
   * triplane coordinates of camera {@code frame} (null: world coordinates), with Adam at {@code lr}.
   */
  public TriplaneFit start(float[] plane, Map<String, Tensor> decoder, Camera frame, double lr) {
    weights.get("plane").floats().put(0, plane);
    decoder.forEach((name, w) -> {
      Tensor into = weights.get(name);
      if (into == null) {
        throw new IllegalArgumentException("no decoder parameter `" + name + "`; the field has " + weights.keySet());
      }
      into.copyFrom(w);
    });
    this.frame = frame;
    List<Optimizer.Slot> slots = new ArrayList<>();
    weights.forEach((name, w) -> slots.add(new Optimizer.Slot(name, w, fit.out("grad:" + name), false)));
    this.adam = Optimizer.create(OptimizerConfig.adam(lr), slots);
    this.steps = 0;
    return this;
  }

  /**
   * Starts a fresh world-frame field: a triplane drawn from N(0, 0.1²) and a decoder initialised as
   * at training start, both from {@code seed}.
   */
  public TriplaneFit startFresh(long seed, double lr) {
    Weights w = Weights.initialize(graphs.fieldParameters(), seed);
    SplittableRandom rng = Seeds.rng(seed, "plane");
    float[] plane = new float[graphs.field().config().codeSize()];
    for (int i = 0; i < plane.length; i++) {
      plane[i] = (float) (0.1 * rng.nextGaussian());
    }
    return start(plane, w.asMap(), null, lr);
  }

  /** One Adam step on a batch drawn from {@code pool}; returns the batch's mean squared error before the step. */
  public double step(SceneRays pool, RandomGenerator rng) {
    if (adam == null) {
      throw new IllegalStateException("start the fit before stepping it");
    }
    int[] idx = pool.draw(rays, rng);
    fill(fit, sampler.sample(pool.rays(idx), rng));
    FloatBuffer target = fit.in("target").floats();
    for (int i = 0; i < rays; i++) {
      for (int c = 0; c < 3; c++) {
        target.put(3 * i + c, pool.color(idx[i], c));
      }
    }
    fit.run();
    adam.step(adam.config().lr(), ++steps);
    return fit.out("loss").get(0);
  }

  /** Images [3, S, S] in [0, 1] of the current field from each camera (bin-midpoint samples). */
  public float[][] render(List<Camera> cameras) {
    int pixels = model.pixels();
    float[][] out = new float[cameras.size()][];
    for (int v = 0; v < cameras.size(); v++) {
      fill(render, sampler.sample(cameras.get(v).rays(), null));
      render.run();
      FloatBuffer rgb = render.out("rgb").floats();
      float[] img = new float[3 * pixels];
      for (int p = 0; p < pixels; p++) {
        for (int c = 0; c < 3; c++) {
          img[c * pixels + p] = rgb.get(3 * p + c);
        }
      }
      out[v] = img;
    }
    return out;
  }

  /** The current triplane [3C·S·S] (a copy). */
  public float[] plane() {
    return weights.get("plane").toFloatArray();
  }

  /** The current decoder (copies). */
  public Map<String, Tensor> decoder() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    weights.forEach((k, v) -> {
      if (!k.equals("plane")) {
        out.put(k, v.copy());
      }
    });
    return out;
  }

  /** Rays per step. */
  public int rays() {
    return rays;
  }

  /** Adam steps taken since the last start. */
  public long steps() {
    return steps;
  }

  private void fill(CompiledGraph program, RaySamples samples) {
    RaySamples s = frame == null ? samples : CameraAlignedPoints.align(frame, samples);
    program.in("points").floats().put(0, s.points());
    if (program.reads("t")) {
      program.in("t").floats().put(0, s.t());
    }
    program.in("delta").floats().put(0, s.delta());
  }

  @Override
  public void close() {
    fit.close();
    render.close();
  }
}
