package dev.kiln.nerf.nerfdiff;

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
 * finetuning of (W, θ) when {@code frame} is the input camera (coordinates from
 * {@link CameraAlignedPoints}), and a fresh world-frame NeRF ({@code frame} null) when scoring how
 * 3D-consistent a set of views is. Each step draws {@code rays} pixels with replacement from a pool
 * and samples them with stratified jitter.
 */
public final class TriplaneFit implements AutoCloseable {

  private final NerfDiffConfig.Model model;
  private final Camera frame;
  private final int rays;
  private final StratifiedSampler sampler;
  private final Map<String, Tensor> weights;
  private final CompiledGraph fit;
  private final CompiledGraph render;
  private final Optimizer adam;
  private long steps;

  private TriplaneFit(NerfDiff nerfDiff, float[] plane, Map<String, Tensor> decoder, Camera frame, int rays,
      double lr, OrtBackend backend) {
    NerfDiffGraphs graphs = nerfDiff.graphs();
    this.model = graphs.model();
    this.frame = frame;
    this.rays = rays;
    this.sampler = new StratifiedSampler(model.samplesPerRay(), Aabb.unit(), 0.0);
    int s = model.imageSize();
    this.weights = new LinkedHashMap<>();
    weights.put("plane", Tensor.of(plane.clone(), 1, graphs.field().config().codeChannels(), s, s));
    weights.putAll(decoder);
    this.fit = graphs.planeRender(rays, true, weights, backend);
    this.render = graphs.planeRender(model.pixels(), false, weights, backend);
    List<Optimizer.Slot> slots = new ArrayList<>();
    weights.forEach((name, w) -> slots.add(new Optimizer.Slot(name, w, fit.out("grad:" + name), false)));
    this.adam = Optimizer.create(OptimizerConfig.adam(lr), slots);
  }

  /**
   * Finetuning from {@code plane} (copied) and {@code decoder} (tensors used in place) in the triplane
   * coordinates of camera {@code frame}.
   */
  public static TriplaneFit finetune(NerfDiff nerfDiff, float[] plane, Map<String, Tensor> decoder, Camera frame,
      int rays, double lr, OrtBackend backend) {
    return new TriplaneFit(nerfDiff, plane, decoder, frame, rays, lr, backend);
  }

  /**
   * A fresh world-frame field of the model's sizes: a triplane drawn from N(0, 0.1²) and a decoder
   * initialised as at training start, both from {@code seed}.
   */
  public static TriplaneFit fresh(NerfDiff nerfDiff, int rays, double lr, long seed, OrtBackend backend) {
    NerfDiffGraphs graphs = nerfDiff.graphs();
    Weights w = Weights.initialize(graphs.fieldParameters(), seed);
    SplittableRandom rng = Seeds.rng(seed, "plane");
    float[] plane = new float[graphs.field().config().codeSize()];
    for (int i = 0; i < plane.length; i++) {
      plane[i] = (float) (0.1 * rng.nextGaussian());
    }
    return new TriplaneFit(nerfDiff, plane, new LinkedHashMap<>(w.asMap()), null, rays, lr, backend);
  }

  /** One Adam step on a batch drawn from {@code pool}; returns the batch's mean squared error before the step. */
  public double step(SceneRays pool, RandomGenerator rng) {
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

  /** Adam steps taken. */
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
