package dev.kiln.nerf.ssd;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.graph.DType;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.GenerationControl;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * SSDNeRF at test time (arXiv 2304.06714 §4.2). Reconstruction of unseen scenes from a few views:
 *
 * <ol>
 *   <li>DDIM (η = 0) from noise with the prior; at each step the denoised estimate
 *       {@code x̂ = clip(α x_t − σ v̂)} is corrected by the gradient of the rendering loss on the
 *       observed rays, {@code x̂ ← x̂ − λ_gd σ^{2−2ω} α^{2ω−1} ∇_x̂ L_rend(x̂)} (Eq. 6, the gradient taken with
 *       respect to x̂ only, not through the UNet), then
 *       {@code x_{t'} = α' x̂ + σ' (x_t − α x̂)/σ};</li>
 *   <li>a finetune of the code under {@code λ_rend L_rend + λ'_diff L_diff} (Eq. 7): K_out prior
 *       gradients at random t, each reused by K_in Adam steps on fresh rendering gradients.</li>
 * </ol>
 *
 * Unconditional generation is the same DDIM loop without guidance. Test time uses the EMA of the
 * prior weights and the decoder as trained.
 */
public final class GuidedReconstruction {

  /**
   * Triplanes per scene after guided sampling and after finetuning.
   *
   * @param guided x after guided sampling (no finetune)
   * @param finetuned x after the finetune (equal to {@code guided} when it has no steps)
   */
  public record Result(List<float[]> guided, List<float[]> finetuned) {}

  private GuidedReconstruction() {}

  /** Reconstructs {@code scenes} from their first {@code views} input views. */
  public static Result reconstruct(SsdNerf model, List<SceneViews> scenes, int views, OrtBackend backend, long seed) {
    SsdNerfConfig.Reconstruction rc = model.config().reconstruction();
    SsdNerfConfig.Model mc = model.config().model();
    int b = scenes.size();
    List<SceneRays> pools = scenes.stream().map(s -> new SceneRays(s.inputs().subList(0, views))).toList();
    List<float[]> guided;
    SsdGraphs.RenderLossSpec guideSpec = new SsdGraphs.RenderLossSpec(false, false, 1.0 / 3, 0, 0);
    try (CompiledGraph guide = model.graphs().renderLoss(b, rc.guideRays(), guideSpec, model.decoderWeights(),
        backend)) {
      guided = ddim(model, b, backend, Seeds.rng(seed, "sample"), (x0, step, sigma, alpha) -> {
        RayBatch.fill(guide, pools, rc.guideRays(), mc.samplesPerRay(), Seeds.rng(seed, "guide-rays", step));
        RayBatch.copyCodes(x0, guide.in("x"));
        guide.run();
        FloatBuffer g = guide.out("grad:x").floats();
        double omega = mc.omega();
        // The loss averages over the batch; × b makes it each scene's own mean squared error.
        double scale = rc.guidanceScale() * b * Math.pow(sigma, 2 - 2 * omega) * Math.pow(alpha, 2 * omega - 1);
        int size = x0.get(0).length;
        for (int s = 0; s < b; s++) {
          float[] x = x0.get(s);
          for (int i = 0; i < size; i++) {
            x[i] -= (float) (scale * g.get(s * size + i));
          }
        }
      });
    }
    if (rc.finetuneOuter() == 0) {
      return new Result(guided, guided);
    }
    return new Result(guided, finetune(model, guided, pools, views, backend, seed));
  }

  /** {@code count} unconditional samples of triplanes. */
  public static List<float[]> sample(SsdNerf model, int count, OrtBackend backend, long seed) {
    return ddim(model, count, backend, Seeds.rng(seed, "unconditional"), null);
  }

  /** Changes the clipped x̂ of every scene in place, at sampling step {@code step} with noise level σ, α. */
  @FunctionalInterface
  interface Guidance {
    void correct(List<float[]> x0, int step, double sigma, double alpha);
  }

  static List<float[]> ddim(SsdNerf model, int count, OrtBackend backend, RandomGenerator rng, Guidance guidance) {
    try (CompiledGraph denoiser = model.graphs().denoiser(count, model.priorAverage(), backend)) {
      return ddim(model, count, rng, guidance, (xt, t) -> {
        denoiser.in("x_t").floats().put(0, xt.floats(), 0, xt.size());
        for (int s = 0; s < count; s++) {
          denoiser.in("t").set(s, t.get(s));
        }
        denoiser.run();
        return denoiser.out("v");
      });
    }
  }

  /**
   * {@code count} unconditional samples of triplanes with the prior run by {@code prior}, a session of
   * the EMA denoiser for any number of scenes ({@link SsdNerfExport#batchedDenoiser}): each DDIM step is
   * one call {@code "denoiser"} through {@code control}, so that a server merges it with concurrent
   * requests' steps. Rows are independent, so the samples are those of {@link #sample} up to the last
   * bits of the denoiser's floating point.
   */
  public static List<float[]> sample(SsdNerf model, int count, long seed, Session prior, GenerationControl control) {
    try (GenerationControl.StepCalls calls = control.steps("denoiser", prior::run,
        model.config().reconstruction().ddimSteps())) {
      return ddim(model, count, Seeds.rng(seed, "unconditional"), null,
          (xt, t) -> calls.run(Map.of("x_t", xt, "t", t), Set.of("v")).get("v"));
    }
  }

  /** The prior's v̂ for x_t [B, 3C, S, S] and t [B]. */
  @FunctionalInterface
  interface Prior {
    Tensor v(Tensor xt, Tensor t);
  }

  private static List<float[]> ddim(SsdNerf model, int count, RandomGenerator rng, Guidance guidance, Prior prior) {
    SsdNerfConfig.Reconstruction rc = model.config().reconstruction();
    NoiseSchedule schedule = model.schedule();
    int size = model.field().config().codeSize();
    float limit = model.config().model().codeScale().floatValue();
    int steps = rc.ddimSteps();
    int last = schedule.numTrainTimesteps() - 1;
    int[] ts = new int[steps];
    for (int i = 0; i < steps; i++) {
      ts[i] = steps == 1 ? last : (int) Math.round(last * (1 - (double) i / (steps - 1)));
    }
    List<float[]> x = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      float[] xs = new float[size];
      for (int i = 0; i < size; i++) {
        xs[i] = (float) rng.nextGaussian();
      }
      x.add(xs);
    }
    int side = model.field().config().resolution();
    long[] codeShape = {count, model.field().config().codeChannels(), side, side};
    for (int i = 0; i < steps; i++) {
      double ab = schedule.alphaCumprod(ts[i]);
      double a = Math.sqrt(ab);
      double sg = Math.sqrt(1 - ab);
      Tensor xt = Tensor.zeros(DType.FLOAT, codeShape);
      RayBatch.copyCodes(x, xt);
      Tensor t = Tensor.zeros(DType.FLOAT, count);
      for (int s = 0; s < count; s++) {
        t.set(s, ts[i]);
      }
      FloatBuffer v = prior.v(xt, t).floats();
      List<float[]> x0 = new ArrayList<>();
      for (int s = 0; s < count; s++) {
        float[] xs = x.get(s);
        float[] e = new float[size];
        for (int k = 0; k < size; k++) {
          e[k] = clip((float) (a * xs[k] - sg * v.get(s * size + k)), limit);
        }
        x0.add(e);
      }
      if (guidance != null) {
        guidance.correct(x0, i, sg, a);
        for (float[] e : x0) {
          for (int k = 0; k < size; k++) {
            e[k] = clip(e[k], limit);
          }
        }
      }
      if (i == steps - 1) {
        return x0;
      }
      double abNext = schedule.alphaCumprod(ts[i + 1]);
      double aNext = Math.sqrt(abNext);
      double sNext = Math.sqrt(1 - abNext);
      for (int s = 0; s < count; s++) {
        float[] xs = x.get(s);
        float[] e = x0.get(s);
        for (int k = 0; k < size; k++) {
          double eps = (xs[k] - a * e[k]) / sg;
          xs[k] = (float) (aNext * e[k] + sNext * eps);
        }
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** Eq. 7: Adam on the codes under the rendering loss plus a cached prior gradient (decoder and prior frozen). */
  private static List<float[]> finetune(SsdNerf model, List<float[]> start, List<SceneRays> pools, int views,
      OrtBackend backend, long seed) {
    SsdNerfConfig.Reconstruction rc = model.config().reconstruction();
    SsdNerfConfig.Model mc = model.config().model();
    int b = start.size();
    int size = start.get(0).length;
    float[][] initial = new float[b][];
    for (int s = 0; s < b; s++) {
      initial[s] = model.deactivate(start.get(s));
    }
    CodeBank bank = new CodeBank(initial);
    List<float[]> codes = new ArrayList<>();
    for (int s = 0; s < b; s++) {
      codes.add(bank.code(s));
    }
    SsdGraphs.RenderLossSpec spec = new SsdGraphs.RenderLossSpec(true, false, mc.renderWeight(views),
        mc.codeRegularizer(), 0);
    float[] priorGrad = new float[b * size];
    int step = 0;
    try (CompiledGraph render = model.graphs().renderLoss(b, rc.finetuneRays(), spec, model.decoderWeights(), backend);
        CompiledGraph diffusion = model.graphs().diffusionLoss(b, true, true, false, model.priorAverage(), backend)) {
      for (int o = 0; o < rc.finetuneOuter(); o++) {
        if (rc.finetuneDiffusionWeight() > 0) {
          RayBatch.copyCodes(codes, diffusion.in("code"));
          model.fillDiffusionBatch(diffusion, b, rc.finetuneDiffusionWeight(), Seeds.rng(seed, "finetune-t", o));
          diffusion.run();
          diffusion.out("grad:code").floats().get(0, priorGrad);
        }
        for (int k = 0; k < rc.finetuneInner(); k++) {
          RayBatch.fill(render, pools, rc.finetuneRays(), mc.samplesPerRay(), Seeds.rng(seed, "finetune-rays", o, k));
          RayBatch.copyCodes(codes, render.in("code"));
          render.run();
          float[] grad = render.out("grad:code").toFloatArray();
          for (int i = 0; i < grad.length; i++) {
            grad[i] += priorGrad[i];
          }
          double lr = rc.finetuneLr() * Math.pow(rc.finetuneDecay(), step++);
          for (int s = 0; s < b; s++) {
            bank.step(s, grad, s * size, lr);
          }
        }
      }
    }
    List<float[]> out = new ArrayList<>();
    for (float[] c : codes) {
      out.add(model.activate(c));
    }
    return out;
  }

  private static float clip(float v, float limit) {
    return Math.max(-limit, Math.min(limit, v));
  }
}
