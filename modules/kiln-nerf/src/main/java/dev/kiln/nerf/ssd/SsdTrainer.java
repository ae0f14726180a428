package dev.kiln.nerf.ssd;

import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.train.Optimizer;
import dev.kiln.train.OptimizerConfig;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains an {@link SsdNerf} on multi-view scenes, single-stage (paper Algorithm 1) or as the
 * two-stage baseline.
 *
 * <p>Single stage, each outer iteration on a batch of scenes: one diffusion-loss step (or
 * {@code prior_steps} of them, whose code gradients are averaged) updates the prior φ (Adam) and
 * yields ∂(λ_diff L_diff)/∂code, which is cached; then K_in rendering steps each
 * add the fresh ∂(λ_rend L_rend + reg)/∂code to the cached prior gradient and take a per-scene Adam
 * step on the codes (moments kept per scene across iterations); the decoder ψ takes one Adam step
 * on the last of them.
 *
 * <p>Two stages at equal compute: first the same rendering schedule with no prior, as the official
 * first stage runs it: the total-variation regulariser ({@link SsdGraphs#totalVariation}) in place of
 * the code regulariser mean(x²), and each scene's code started on its first visit from an EMA of the
 * mean triplane of the batches before ({@code init_from_mean}); then as many prior steps as the
 * single-stage run takes (iterations × prior_steps), on the frozen codes with c_diff of the baseline.
 */
public final class SsdTrainer {

  /** How the codes and the prior are trained. */
  public enum Schedule {
    SINGLE_STAGE("single-stage"),
    TWO_STAGE("two-stage");

    private final String id;

    Schedule(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /**
   * One logged point.
   *
   * @param stage 1 (codes and decoder, with the prior in single-stage training) or 2 (prior only)
   * @param iteration outer iteration (1-based)
   * @param renderMse mean squared pixel error of the last rendering step of each iteration, averaged over the
   *     iterations since the point before (NaN in stage 2)
   * @param diffusionLoss the last λ_diff L_diff (NaN when no prior step ran)
   * @param norm EMA of mean x²
   * @param seconds wall time since training began
   */
  public record Point(int stage, int iteration, double renderMse, double diffusionLoss, double norm, double seconds) {}

  private SsdTrainer() {}

  /** Trains {@code model} on {@code scenes} (their input views); returns the logged points. */
  public static List<Point> train(SsdNerf model, Schedule schedule, List<SceneViews> scenes, OrtBackend backend,
      long seed, int logEvery, PrintStream log) {
    SsdNerfConfig.Training tc = model.config().training();
    int n = scenes.size();
    int batch = Math.min(tc.scenesPerBatch(), n);
    List<SceneRays> pools = scenes.stream().map(s -> new SceneRays(s.inputs())).toList();
    int views = scenes.get(0).inputs().size();
    int size = model.field().config().codeSize();
    CodeBank bank = new CodeBank(n, size, 1e-4, Seeds.rng(seed, "codes"));
    float[][] live = new float[n][];
    for (int s = 0; s < n; s++) {
      live[s] = bank.code(s);
    }
    model.setSceneCodes(live);
    List<Point> points = new ArrayList<>();
    long start = System.nanoTime();
    boolean single = schedule == Schedule.SINGLE_STAGE;
    codesAndDecoder(model, bank, pools, views, batch, single, backend, seed, logEvery, log, points, start);
    if (!single) {
      priorOnFrozenCodes(model, bank, batch, backend, seed, logEvery, log, points, start);
    }
    return points;
  }

  private static void codesAndDecoder(SsdNerf model, CodeBank bank, List<SceneRays> pools, int views, int batch,
      boolean withPrior, OrtBackend backend, long seed, int logEvery, PrintStream log, List<Point> points,
      long start) {
    SsdNerfConfig.Training tc = model.config().training();
    SsdNerfConfig.Model mc = model.config().model();
    int size = model.field().config().codeSize();
    int rays = tc.raysPerScene();
    SsdGraphs.RenderLossSpec spec = new SsdGraphs.RenderLossSpec(true, true, mc.renderWeight(views),
        withPrior ? mc.codeRegularizer() : 0, withPrior ? 0 : tc.tvWeight());
    float[] meanCode = withPrior ? null : new float[size];
    try (CompiledGraph render = model.graphs().renderLoss(batch, rays, spec, model.decoderWeights(), backend);
        CompiledGraph diffusion = withPrior
            ? model.graphs().diffusionLoss(batch, true, true, true, model.priorWeights(), backend) : null) {
      Optimizer decoderOpt = Optimizer.create(OptimizerConfig.adam(tc.decoderLr()),
          slots(model.decoderWeights(), render));
      Optimizer priorOpt = withPrior
          ? Optimizer.create(OptimizerConfig.adam(tc.priorLr()), slots(model.priorWeights(), diffusion)) : null;
      float[] priorGrad = new float[batch * size];
      long decoderSteps = 0;
      long priorSteps = 0;
      double diffLoss = Double.NaN;
      double mseSum = 0;
      int mseCount = 0;
      for (int it = 0; it < tc.iterations(); it++) {
        int[] scenes = Seeds.distinct(Seeds.rng(seed, "batch", it), bank.scenes(), batch);
        if (meanCode != null) {
          float[] fromMean = model.deactivate(meanCode);
          for (int s : scenes) {
            if (bank.fresh(s)) {
              bank.reset(s, fromMean);
            }
          }
        }
        List<float[]> codes = codesOf(bank, scenes);
        if (withPrior) {
          Arrays.fill(priorGrad, 0f);
          for (int j = 0; j < tc.priorSteps(); j++) {
            model.updateNorm(meanSquare(model, codes));
            RayBatch.copyCodes(codes, diffusion.in("code"));
            model.fillDiffusionBatch(diffusion, batch, mc.diffusionWeight(), priorStream(seed, "diffusion", it, j));
            diffusion.run();
            priorOpt.step(tc.priorLr(), ++priorSteps);
            model.updatePriorAverage(priorSteps);
            FloatBuffer g = diffusion.out("grad:code").floats();
            for (int i = 0; i < priorGrad.length; i++) {
              priorGrad[i] += g.get(i) / tc.priorSteps();
            }
            diffLoss = diffusion.out("loss").get(0);
          }
        }
        int inner = tc.innerStepsAt(it);
        for (int k = 0; k < inner; k++) {
          RayBatch.fill(render, pools(pools, scenes), rays, mc.samplesPerRay(), Seeds.rng(seed, "rays", it, k));
          RayBatch.copyCodes(codes, render.in("code"));
          render.run();
          float[] grad = render.out("grad:code").toFloatArray();
          if (withPrior) {
            for (int i = 0; i < grad.length; i++) {
              grad[i] += priorGrad[i];
            }
          }
          if (k == inner - 1 && meanCode != null) {
            // The codes this last step rendered, before their update, as the official loop averages them.
            updateMean(meanCode, model, render.in("code"), batch, tc.meanCodeMomentum());
          }
          for (int b = 0; b < batch; b++) {
            bank.step(scenes[b], grad, b * size, tc.codeLr());
          }
          if (k == inner - 1) {
            decoderOpt.step(tc.decoderLr(), ++decoderSteps);
          }
        }
        mseSum += render.out("mse").get(0);
        mseCount++;
        if ((it + 1) % logEvery == 0 || it == tc.iterations() - 1) {
          Point p = new Point(1, it + 1, mseSum / mseCount, diffLoss, model.norm(), seconds(start));
          mseSum = 0;
          mseCount = 0;
          points.add(p);
          log.printf(Locale.ROOT, "  stage 1 it %5d  render mse %.5f  diffusion %.4f  norm %.4f  %.0fs%n",
              p.iteration(), p.renderMse(), p.diffusionLoss(), p.norm(), p.seconds());
        }
      }
    }
  }

  private static void priorOnFrozenCodes(SsdNerf model, CodeBank bank, int batch, OrtBackend backend, long seed,
      int logEvery, PrintStream log, List<Point> points, long start) {
    SsdNerfConfig.Training tc = model.config().training();
    try (CompiledGraph diffusion = model.graphs().diffusionLoss(batch, true, false, true, model.priorWeights(),
        backend)) {
      Optimizer priorOpt = Optimizer.create(OptimizerConfig.adam(tc.priorLr()), slots(model.priorWeights(),
          diffusion));
      long steps = 0;
      for (int it = 0; it < tc.iterations(); it++) {
        int[] scenes = Seeds.distinct(Seeds.rng(seed, "batch2", it), bank.scenes(), batch);
        List<float[]> codes = codesOf(bank, scenes);
        RayBatch.copyCodes(codes, diffusion.in("code"));
        for (int j = 0; j < tc.priorSteps(); j++) {
          model.updateNorm(meanSquare(model, codes));
          model.fillDiffusionBatch(diffusion, batch, tc.twoStageDiffusionWeight(),
              priorStream(seed, "diffusion2", it, j));
          diffusion.run();
          priorOpt.step(tc.priorLr(), ++steps);
          model.updatePriorAverage(steps);
        }
        if ((it + 1) % logEvery == 0 || it == tc.iterations() - 1) {
          Point p = new Point(2, it + 1, Double.NaN, diffusion.out("loss").get(0), model.norm(), seconds(start));
          points.add(p);
          log.printf(Locale.ROOT, "  stage 2 it %5d  diffusion %.4f  norm %.4f  %.0fs%n", p.iteration(),
              p.diffusionLoss(), p.norm(), p.seconds());
        }
      }
    }
  }

  /** Optimizer slots for {@code weights}, with gradients read from {@code program}'s outputs. */
  static List<Optimizer.Slot> slots(Map<String, Tensor> weights, CompiledGraph program) {
    List<Optimizer.Slot> slots = new ArrayList<>();
    weights.forEach((name, w) -> slots.add(new Optimizer.Slot(name, w, program.out("grad:" + name), false)));
    return slots;
  }

  private static List<float[]> codesOf(CodeBank bank, int[] scenes) {
    List<float[]> codes = new ArrayList<>();
    for (int s : scenes) {
      codes.add(bank.code(s));
    }
    return codes;
  }

  private static List<SceneRays> pools(List<SceneRays> all, int[] scenes) {
    List<SceneRays> out = new ArrayList<>();
    for (int s : scenes) {
      out.add(all.get(s));
    }
    return out;
  }

  /** mean ← (1 − m)·mean + m·(batch mean of the triplanes scale·tanh(code [B, size])). */
  static void updateMean(float[] mean, SsdNerf model, Tensor code, int batch, double momentum) {
    FloatBuffer c = code.floats();
    double scale = model.config().model().codeScale();
    for (int i = 0; i < mean.length; i++) {
      double sum = 0;
      for (int b = 0; b < batch; b++) {
        sum += scale * Math.tanh(c.get(b * mean.length + i));
      }
      mean[i] = (float) ((1 - momentum) * mean[i] + momentum * sum / batch);
    }
  }

  private static double meanSquare(SsdNerf model, List<float[]> codes) {
    double sum = 0;
    long count = 0;
    for (float[] c : codes) {
      for (float v : model.activate(c)) {
        sum += (double) v * v;
      }
      count += c.length;
    }
    return sum / count;
  }

  /**
   * The random stream of prior step {@code j} of iteration {@code it}; step 0 keeps the stream of the
   * one-step loop, so {@code prior_steps = 1} reproduces runs made before the option existed.
   */
  private static SplittableRandom priorStream(long seed, String purpose, int it, int j) {
    return j == 0 ? Seeds.rng(seed, purpose, it) : Seeds.rng(seed, purpose, it, j);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
