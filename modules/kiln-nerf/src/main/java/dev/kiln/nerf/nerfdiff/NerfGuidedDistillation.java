package dev.kiln.nerf.nerfdiff;

import dev.kiln.graph.DType;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.SceneRays;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.process.NoiseSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test-time reconstruction from one image, in the four ways NerfDiff compares (paper Algorithm 1
 * and its baselines). All four start from the single-image NeRF (W from the encoder, θ the trained
 * decoder) and condition the CDM on that NeRF's rendering at each virtual view.
 *
 * <p>NGD, over all virtual views π at once, for DDIM timesteps t from {@code t_max·T} down:
 *
 * <pre>
 *   Z^π = α_t Ĩ^π + σ_t ε^π                                   (Ĩ^π starts as the rendering I^π_{θ,W})
 *   x̂^π = (Z^π − σ_t ε_φ(Z^π, I^π_{θ,W₀}, t)) / α_t = α_t Z^π − σ_t v_φ   (clipped to [−1, 1])
 *   λ_t = γ σ_t² / α_t²
 *   Ĩ^π = (x̂^π + λ_t I^π_{θ,W}) / (1 + λ_t),   ε^π = (Z^π − α_t Ĩ^π) / σ_t
 *   N Adam steps on (W, θ):  ‖Ĩ^π(r) − I^π_{θ,W}(r)‖² over rays r of all views (and the input view)
 * </pre>
 *
 * The pull toward the current rendering is the guided noise prediction
 * ε̃ = ε_φ + γ (σ_t/α_t)(x̂ − I_{θ,W}) of the paper taken to its fixed point: its one-step form
 * x̂ − λ_t (x̂ − I) overshoots the rendering once λ_t exceeds 1 (σ²/α² reaches 10⁴ near t_max), while
 * the precision-weighted mean agrees with it to first order in λ_t and stays between the two images.
 * So the NeRF sets each view's coarse content while noise is high, the CDM adds detail as it falls,
 * and the NeRF refit after every step keeps the views mutually consistent.
 *
 * <p>The baselines: {@link Mode#NERF_ONLY}, the single-image NeRF's renderings; {@link Mode#CDM_SAMPLES},
 * the same loop with γ = 0 and no finetuning (plain deterministic DDIM per view, each view on its
 * own); {@link Mode#NAIVE}, those samples then distilled into the NeRF with as many finetuning steps
 * as NGD takes in total.
 *
 * <p>An instance holds the exported encoder and CDM in ONNX Runtime sessions and one compiled
 * {@link TriplaneFit}, so reconstructing many scenes compiles nothing twice.
 */
public final class NerfGuidedDistillation implements AutoCloseable {

  /** The four reconstructions. */
  public enum Mode {
    NERF_ONLY("nerf-only"),
    CDM_SAMPLES("cdm-samples"),
    NAIVE("naive-distillation"),
    NGD("ngd");

    private final String id;

    Mode(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /**
   * A reconstruction.
   *
   * @param mode how it was made
   * @param views the method's images at the virtual views, [3, S, S] in [0, 1]: the final NeRF's
   *     renderings, or the CDM's samples for {@link Mode#CDM_SAMPLES}
   * @param refined the diffusion's final estimates Ĩ^π in [0, 1] (CDM samples and NGD; null otherwise)
   * @param plane the final triplane W
   * @param decoder the final decoder θ (copies)
   * @param finetuneSteps Adam steps taken on (W, θ)
   * @param seconds wall time of the reconstruction
   */
  public record Result(Mode mode, float[][] views, float[][] refined, float[] plane, Map<String, Tensor> decoder,
      long finetuneSteps, double seconds) {}

  private final NerfDiff model;
  private final int views;
  private final Session encoder;
  private final Session cdm;
  private final TriplaneFit fit;

  /**
   * Reconstructions of {@code model} at {@code views} virtual views with {@code raysPerStep} rays
   * per finetuning step.
   */
  public NerfGuidedDistillation(NerfDiff model, int views, int raysPerStep, OrtBackend backend) {
    this.model = model;
    this.views = views;
    this.encoder = backend.load(model.exportEncoder(1));
    this.cdm = backend.load(model.exportCdm(views));
    this.fit = new TriplaneFit(model, raysPerStep, backend);
  }

  /** Reconstructions with {@code model}'s own distillation settings and {@code views} virtual views. */
  public NerfGuidedDistillation(NerfDiff model, int views, OrtBackend backend) {
    this(model, views, model.config().distillation().raysPerStep(), backend);
  }

  /** One reconstruction with {@code model}'s distillation settings. */
  public static Result run(NerfDiff model, View input, List<Camera> virtual, Mode mode, long seed,
      OrtBackend backend) {
    try (NerfGuidedDistillation ngd = new NerfGuidedDistillation(model, virtual.size(), backend)) {
      return ngd.run(input, virtual, mode, model.config().distillation(), seed);
    }
  }

  /** Reconstructs from {@code input} and renders or samples {@code virtual}, with distillation settings {@code d}. */
  public Result run(View input, List<Camera> virtual, Mode mode, NerfDiffConfig.Distillation d, long seed) {
    if (virtual.size() != views) {
      throw new IllegalArgumentException("built for " + views + " virtual views, got " + virtual.size());
    }
    if (d.raysPerStep() != fit.rays()) {
      throw new IllegalArgumentException("built for " + fit.rays() + " rays per finetuning step, got "
          + d.raysPerStep());
    }
    long start = System.nanoTime();
    NerfDiffConfig.Model mc = model.config().model();
    int s = mc.imageSize();
    float[] plane = encoder.run(Map.of("image", Tensor.of(input.rgb(), 1, 3, s, s))).get("planes").toFloatArray();
    fit.start(plane, model.decoderCopy(), input.camera(), d.lr());
    float[][] rendered = fit.render(virtual);
    if (mode == Mode.NERF_ONLY) {
      return new Result(mode, rendered, null, fit.plane(), fit.decoder(), 0, seconds(start));
    }
    int v = virtual.size();
    int n = 3 * mc.pixels();
    float[][] estimate = signed(rendered);
    float[][] eps = new float[v][n];
    SplittableRandom noise = Seeds.rng(seed, "ngd-noise");
    for (float[] e : eps) {
      for (int i = 0; i < n; i++) {
        e[i] = (float) noise.nextGaussian();
      }
    }
    boolean guided = mode == Mode.NGD;
    double gamma = guided ? d.guidance() : 0;
    NoiseSchedule schedule = model.schedule();
    SplittableRandom rays = Seeds.rng(seed, "ngd-rays");
    Tensor z = Tensor.zeros(DType.FLOAT, v, 3, s, s);
    Tensor c = Tensor.zeros(DType.FLOAT, v, 3, s, s);
    Tensor t = Tensor.zeros(DType.FLOAT, v);
    for (int i = 0; i < v; i++) {
      c.floats().put(i * n, estimate[i]);
    }
    float[][] current = guided ? signed(rendered) : null;
    for (int step : timesteps(schedule.numTrainTimesteps(), d.tMax(), d.ddimSteps())) {
      double abar = schedule.alphaCumprod(step);
      double alpha = Math.sqrt(abar);
      double sigma = Math.sqrt(1 - abar);
      double lambda = gamma * sigma * sigma / (alpha * alpha);
      for (int i = 0; i < v; i++) {
        for (int q = 0; q < n; q++) {
          z.floats().put(i * n + q, (float) (alpha * estimate[i][q] + sigma * eps[i][q]));
        }
        t.floats().put(i, step);
      }
      float[] vHat = cdm.run(Map.of("z", z, "cond", c, "t", t)).get("v").toFloatArray();
      for (int i = 0; i < v; i++) {
        for (int q = 0; q < n; q++) {
          double zq = z.floats().get(i * n + q);
          double x = Math.max(-1, Math.min(1, alpha * zq - sigma * vHat[i * n + q]));
          if (guided) {
            x = (x + lambda * current[i][q]) / (1 + lambda);
          }
          estimate[i][q] = (float) x;
          eps[i][q] = (float) ((zq - alpha * x) / sigma);
        }
      }
      if (guided) {
        SceneRays pool = pool(estimate, virtual, input, d.keepInputView());
        for (int k = 0; k < d.finetuneSteps(); k++) {
          fit.step(pool, rays);
        }
        current = signed(fit.render(virtual));
      }
    }
    float[][] refined = unsigned(estimate);
    if (mode == Mode.CDM_SAMPLES) {
      return new Result(mode, refined, refined, fit.plane(), fit.decoder(), 0, seconds(start));
    }
    if (mode == Mode.NAIVE) {
      SceneRays pool = pool(estimate, virtual, input, d.keepInputView());
      int total = d.ddimSteps() * d.finetuneSteps();
      for (int k = 0; k < total; k++) {
        fit.step(pool, rays);
      }
      refined = null;
    }
    return new Result(mode, fit.render(virtual), refined, fit.plane(), fit.decoder(), fit.steps(), seconds(start));
  }

  @Override
  public void close() {
    fit.close();
    cdm.close();
    encoder.close();
  }

  /**
   * The DDIM timesteps: {@code steps} evenly spaced values from {@code round(t_max·(T−1))} down,
   * the last one step of the spacing above 0.
   */
  static int[] timesteps(int trainSteps, double tMax, int steps) {
    double top = tMax * (trainSteps - 1);
    int[] out = new int[steps];
    for (int k = 0; k < steps; k++) {
      out[k] = (int) Math.round(top * (steps - k) / steps);
    }
    return out;
  }

  /** Pixels of the refined views (back in [0, 1]) and, when asked, of the input view. */
  private static SceneRays pool(float[][] estimate, List<Camera> virtual, View input, boolean keepInput) {
    List<View> views = new ArrayList<>();
    float[][] images = unsigned(estimate);
    for (int i = 0; i < virtual.size(); i++) {
      views.add(new View(virtual.get(i), images[i], null, null));
    }
    if (keepInput) {
      views.add(input);
    }
    return new SceneRays(views);
  }

  private static float[][] signed(float[][] images) {
    float[][] out = new float[images.length][];
    for (int i = 0; i < images.length; i++) {
      out[i] = new float[images[i].length];
      for (int q = 0; q < out[i].length; q++) {
        out[i][q] = 2 * images[i][q] - 1;
      }
    }
    return out;
  }

  private static float[][] unsigned(float[][] images) {
    float[][] out = new float[images.length][];
    for (int i = 0; i < images.length; i++) {
      out[i] = new float[images[i].length];
      for (int q = 0; q < out[i].length; q++) {
        out[i][q] = Math.max(0, Math.min(1, (images[i][q] + 1) / 2));
      }
    }
    return out;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
