package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.train.MetricsLog;
import dev.kiln.train.Optimizer;
import dev.kiln.train.OptimizerConfig;
import dev.kiln.train.Progress;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link TriplaneGan} on single views: each step renders a batch of fakes at poses drawn
 * from the training views' poses, updates the generator on the non-saturating loss, then the
 * discriminator on real views against those fakes with the R1 penalty. Every random draw comes from
 * a stream named by (seed, purpose, step), so a seed fixes the run.
 */
public final class GanTrainer {

  /**
   * One logged step.
   *
   * @param step step number (from 1)
   * @param discriminatorLoss L_D including γ/2·R1
   * @param generatorLoss L_G
   * @param r1 E‖∇ₓD(x)‖² on the real batch
   * @param realLogit mean D logit on real views
   * @param fakeLogit mean D logit on fakes
   * @param seconds wall time since the start
   */
  public record Point(int step, double discriminatorLoss, double generatorLoss, double r1, double realLogit,
      double fakeLogit, double seconds) {}

  private GanTrainer() {}

  /**
   * Trains for {@code gan.config().steps()} steps on {@code views} (one per scene: no multi-view
   * supervision); logs every {@code logEvery} steps to {@code metrics} (may be null) and
   * {@code progress}.
   */
  public static List<Point> train(TriplaneGan gan, List<View> views, OrtBackend backend, long seed, int logEvery,
      MetricsLog metrics, java.io.PrintStream progress) {
    GanConfig c = gan.config();
    int b = c.batch();
    for (View v : views) {
      if (v.width() != c.imageSize() || v.height() != c.imageSize()) {
        throw new IllegalArgumentException("training view is " + v.width() + "×" + v.height() + " but the GAN renders "
            + c.imageSize() + "×" + c.imageSize());
      }
    }
    List<Point> points = new ArrayList<>();
    long start = System.nanoTime();
    Progress bar = progress == null ? null : new Progress("gan", 0, c.steps(), progress);
    try (CompiledGraph gen = gan.generatorLoss(b, backend);
        CompiledGraph disc = gan.discriminatorLoss(b, backend)) {
      Optimizer gOpt = Optimizer.create(adam(c.generatorLr(), c), slots(gan.generatorWeights(), gen));
      Optimizer dOpt = Optimizer.create(adam(c.discriminatorLr(), c), slots(gan.discriminatorWeights(), disc));
      for (int step = 1; step <= c.steps(); step++) {
        SplittableRandom rng = Seeds.rng(seed, "gan-step", step);
        List<Camera> fakePoses = new ArrayList<>();
        for (int i = 0; i < b; i++) {
          Camera cam = views.get(rng.nextInt(views.size())).camera();
          fakePoses.add(cam);
          TriplaneGan.writePose(cam, gen.in("pose"), i);
          TriplaneGan.writePose(cam, disc.in("fake_pose"), i);
        }
        FloatBuffer z = gen.in("z").floats();
        for (int i = 0, n = z.capacity(); i < n; i++) {
          z.put(i, (float) rng.nextGaussian());
        }
        gan.fillRays(gen, fakePoses, rng);
        gen.run();
        gOpt.step(c.generatorLr(), step);
        FloatBuffer fake = gen.out("image").floats();
        disc.in("fake").floats().put(0, fake, 0, fake.capacity());
        FloatBuffer real = disc.in("real").floats();
        int n = 3 * c.pixels();
        for (int i = 0; i < b; i++) {
          View v = views.get(rng.nextInt(views.size()));
          real.put(i * n, v.rgb());
          TriplaneGan.writePose(v.camera(), disc.in("real_pose"), i);
        }
        disc.run();
        dOpt.step(c.discriminatorLr(), step);
        if (step % logEvery == 0 || step == c.steps()) {
          Point p = new Point(step, disc.out("loss").get(0), gen.out("loss").get(0), disc.out("r1").get(0),
              disc.out("real_logit").get(0), disc.out("fake_logit").get(0), (System.nanoTime() - start) / 1e9);
          requireFinite(p);
          points.add(p);
          Map<String, Double> values = new LinkedHashMap<>();
          values.put("loss_d", p.discriminatorLoss());
          values.put("loss_g", p.generatorLoss());
          values.put("r1", p.r1());
          values.put("real_logit", p.realLogit());
          values.put("fake_logit", p.fakeLogit());
          if (metrics != null) {
            metrics.write(step, values);
          }
          if (bar != null) {
            bar.report(step, values);
          }
        }
      }
    }
    return points;
  }

  private static void requireFinite(Point p) {
    if (!Double.isFinite(p.discriminatorLoss()) || !Double.isFinite(p.generatorLoss())) {
      throw new IllegalStateException("GAN training diverged at step " + p.step() + ": L_D " + p.discriminatorLoss()
          + ", L_G " + p.generatorLoss());
    }
  }

  private static OptimizerConfig adam(double lr, GanConfig c) {
    return new OptimizerConfig("adam", lr, c.beta1(), c.beta2(), 1e-8, 0.0, null, null, null);
  }

  private static List<Optimizer.Slot> slots(Map<String, Tensor> weights, CompiledGraph program) {
    List<Optimizer.Slot> slots = new ArrayList<>();
    weights.forEach((name, w) -> slots.add(new Optimizer.Slot(name, w, program.out("grad:" + name), false)));
    return slots;
  }
}
