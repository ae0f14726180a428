package dev.kiln.nerf.nerfdiff;

import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.train.MetricsLog;
import dev.kiln.train.Optimizer;
import dev.kiln.train.OptimizerConfig;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Joint training of NerfDiff's single-image NeRF and its conditional diffusion model. Each step draws
 * {@code pairs_per_step} training scenes and in each an input view and a different target view;
 * the NeRF (encoder and decoder, one Adam) renders every pixel of the target view from the input
 * image and takes a step on the squared error; the CDM (its own Adam) takes a step on the v-loss of
 * the target view at a random timestep, conditioned on that rendering (detached: the CDM's loss does
 * not reach the NeRF). Every draw comes from a stream named by (seed, purpose, step).
 */
public final class NerfDiffTrainer {

  /**
   * One logged point.
   *
   * @param step training step (1-based)
   * @param nerfMse the NeRF's mean squared pixel error at the target views of the step
   * @param cdmLoss the CDM's v-loss of the step
   * @param seconds wall time since training began
   */
  public record Point(int step, double nerfMse, double cdmLoss, double seconds) {}

  private NerfDiffTrainer() {}

  /**
   * Trains {@code model} on {@code scenes} (their input views); logs every {@code logEvery} steps to
   * {@code log} and, when not null, to {@code metrics}. Returns the logged points.
   */
  public static List<Point> train(NerfDiff model, List<SceneViews> scenes, OrtBackend backend, long seed,
      int logEvery, PrintStream log, MetricsLog metrics) {
    NerfDiffConfig.Training tc = model.config().training();
    NerfDiffConfig.Model mc = model.config().model();
    int pairs = tc.pairsPerStep();
    int pixels = mc.pixels();
    int s = mc.imageSize();
    int k = mc.samplesPerRay();
    for (SceneViews sv : scenes) {
      if (sv.inputs().size() < 2) {
        throw new IllegalArgumentException("training scene " + sv.index() + " has " + sv.inputs().size()
            + " view; pairs need at least 2");
      }
    }
    StratifiedSampler sampler = new StratifiedSampler(k, Aabb.unit(), 0.0);
    List<Point> points = new ArrayList<>();
    long start = System.nanoTime();
    try (CompiledGraph nerf = model.graphs().nerfLoss(pairs, pixels, model.nerfWeights(), backend);
        CompiledGraph cdm = model.graphs().cdmLoss(pairs, model.cdmWeights(), backend)) {
      Optimizer nerfOpt = Optimizer.create(OptimizerConfig.adam(tc.nerfLr()), slots(model.nerfWeights(), nerf));
      Optimizer cdmOpt = Optimizer.create(OptimizerConfig.adam(tc.cdmLr()), slots(model.cdmWeights(), cdm));
      for (int step = 0; step < tc.steps(); step++) {
        SplittableRandom rng = Seeds.rng(seed, "pairs", step);
        FloatBuffer image = nerf.in("image").floats();
        FloatBuffer target = nerf.in("target").floats();
        FloatBuffer x0 = cdm.in("x0").floats();
        for (int b = 0; b < pairs; b++) {
          SceneViews sv = scenes.get(rng.nextInt(scenes.size()));
          int n = sv.inputs().size();
          int i = rng.nextInt(n);
          int j = (i + 1 + rng.nextInt(n - 1)) % n;
          View in = sv.inputs().get(i);
          View out = sv.inputs().get(j);
          image.put(b * 3 * pixels, in.rgb());
          RaySamples rs = CameraAlignedPoints.align(in.camera(), sampler.sample(out.camera().rays(), rng));
          nerf.in("points").floats().put(b * pixels * k * 3, rs.points());
          if (nerf.reads("t")) {
            nerf.in("t").floats().put(b * pixels * k, rs.t());
          }
          nerf.in("delta").floats().put(b * pixels * k, rs.delta());
          for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < 3; c++) {
              target.put(3 * (b * pixels + p) + c, out.color(p, c));
            }
          }
          for (int q = 0; q < 3 * pixels; q++) {
            x0.put(b * 3 * pixels + q, 2 * out.rgb()[q] - 1);
          }
        }
        nerf.run();
        nerfOpt.step(tc.nerfLr(), step + 1);
        toImages(nerf.out("rgb"), cdm.in("cond"), pairs, s);
        fillNoise(cdm, model, pairs, Seeds.rng(seed, "diffusion", step));
        cdm.run();
        cdmOpt.step(tc.cdmLr(), step + 1);
        if ((step + 1) % logEvery == 0 || step == tc.steps() - 1) {
          Point pt = new Point(step + 1, nerf.out("loss").get(0), cdm.out("loss").get(0),
              (System.nanoTime() - start) / 1e9);
          points.add(pt);
          double rate = pt.step() / pt.seconds();
          log.printf(Locale.ROOT, "  step %5d/%d  nerf mse %.5f  cdm loss %.4f  %.1f steps/s  %.0fs left%n",
              pt.step(), tc.steps(), pt.nerfMse(), pt.cdmLoss(), rate, (tc.steps() - pt.step()) / rate);
          if (metrics != null) {
            metrics.write(pt.step(), Map.of("nerf_mse", pt.nerfMse(), "cdm_loss", pt.cdmLoss(),
                "seconds", pt.seconds()));
          }
        }
      }
    }
    return points;
  }

  /** rgb [B·P, 3] in [0, 1] → [B, 3, S, S] in [−1, 1]. */
  static void toImages(Tensor rgb, Tensor into, int batch, int size) {
    FloatBuffer src = rgb.floats();
    FloatBuffer dst = into.floats();
    int pixels = size * size;
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < pixels; p++) {
        for (int c = 0; c < 3; c++) {
          dst.put((b * 3 + c) * pixels + p, 2 * src.get(3 * (b * pixels + p) + c) - 1);
        }
      }
    }
  }

  private static void fillNoise(CompiledGraph cdm, NerfDiff model, int batch, SplittableRandom rng) {
    FloatBuffer noise = cdm.in("noise").floats();
    for (int i = 0; i < noise.capacity(); i++) {
      noise.put(i, (float) rng.nextGaussian());
    }
    int steps = model.schedule().numTrainTimesteps();
    for (int b = 0; b < batch; b++) {
      int t = rng.nextInt(steps);
      double abar = model.schedule().alphaCumprod(t);
      cdm.in("t").floats().put(b, t);
      cdm.in("alpha").floats().put(b, (float) Math.sqrt(abar));
      cdm.in("sigma").floats().put(b, (float) Math.sqrt(1 - abar));
    }
  }

  private static List<Optimizer.Slot> slots(Map<String, Tensor> weights, CompiledGraph program) {
    List<Optimizer.Slot> slots = new ArrayList<>();
    weights.forEach((name, w) -> slots.add(new Optimizer.Slot(name, w, program.out("grad:" + name), false)));
    return slots;
  }
}
