package dev.kiln.nerf.control3diff;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.kiln.autodiff.Autodiff;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.spi.process.NoiseSchedule;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Samples styles w given a control c seen from a known camera π, by one of Control3Diff's two
 * routes, with DDIM (η = 0) over the prior's normalised x:
 *
 * <ul>
 *   <li>{@code conditioning}: the conditional model with classifier-free guidance,
 *       ε̂ = ε̂(x_t, ∅) + s·(ε̂(x_t, c) − ε̂(x_t, ∅)); no renderer at sampling time.</li>
 *   <li>{@code guidance}: the unconditional prior, with each step's denoised estimate moved down the
 *       gradient of the control loss of its rendering (SSDNeRF Eq. 6 with ω = ½, the gradient taken
 *       with respect to x̂ only): x̂ ← x̂ − λ·σ_t·∇_x̂ ℓ(f(R(G(w(x̂)), π)), c).</li>
 *   <li>{@code guidance-langevin}: the same, plus K Langevin corrector steps at every noise level,
 *       x ← x − ½δσ ε̂_g + √δ σ ξ with ε̂_g the guided noise estimate (SSDNeRF's corrector).</li>
 * </ul>
 */
public final class ControlledSampler {

  /** Which route. */
  public enum Route {
    CONDITIONING("conditioning"),
    GUIDANCE("guidance"),
    GUIDANCE_LANGEVIN("guidance-langevin");

    private final String id;

    Route(String id) {
      this.id = id;
    }

    @JsonValue
    public String id() {
      return id;
    }

    /** Parses {@code conditioning}, {@code guidance} or {@code guidance-langevin}. */
    @JsonCreator
    public static Route parse(String s) {
      String k = s == null ? "" : s.toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(r -> r.id.equals(k)).findFirst().orElseThrow(
          () -> new IllegalArgumentException("route must be conditioning, guidance or guidance-langevin, got `" + s
              + "`"));
    }
  }

  /**
   * @param steps DDIM steps
   * @param cfgScale classifier-free guidance scale s (1 = the conditional model alone)
   * @param guidanceScale λ of the rendering guidance
   * @param langevinSteps corrector steps K per noise level (guidance-langevin only)
   * @param langevinDelta corrector step δ
   * @param clip |x̂| bound of the normalised estimate
   */
  public record Settings(int steps, double cfgScale, double guidanceScale, int langevinSteps, double langevinDelta,
      double clip) {
    public Settings {
      if (steps < 1 || langevinSteps < 0 || !(cfgScale >= 0) || !(guidanceScale >= 0) || !(langevinDelta > 0)
          || !(clip > 0)) {
        throw new IllegalArgumentException("sampler: need steps ≥ 1, langevin_steps ≥ 0, cfg_scale, guidance_scale ≥ 0 "
            + "and langevin_delta, clip > 0; got " + this);
      }
    }

    /**
     * 25 steps, s = 2, λ = 800 (SSDNeRF's λ_gd = 3.2·2¹⁴ for 128² views, rescaled to 16² pixels since
     * the loss is a per-pixel mean), K = 2 corrector steps with SSDNeRF's δ = 0.4, |x̂| ≤ 4.
     */
    public static Settings defaults() {
      return new Settings(25, 2.0, 800.0, 2, 0.4, 4.0);
    }

    public Settings withGuidanceScale(double lambda) {
      return new Settings(steps, cfgScale, lambda, langevinSteps, langevinDelta, clip);
    }

    public Settings withSteps(int n) {
      return new Settings(n, cfgScale, guidanceScale, langevinSteps, langevinDelta, clip);
    }
  }

  private ControlledSampler() {}

  /**
   * {@code count} styles w for control {@code c} ([channels, H, W]) seen from {@code pose}.
   *
   * @param prior the conditional model for {@code conditioning}, the unconditional prior otherwise
   */
  public static List<float[]> sample(Route route, LatentPrior prior, TriplaneGan gan, ControlSignal control,
      float[] c, Camera pose, int count, Settings settings, OrtBackend backend, long seed) {
    boolean conditioning = route == Route.CONDITIONING;
    if (conditioning && prior.control() != control) {
      throw new IllegalArgumentException("conditioning on " + control.id() + " needs a prior trained on it, got "
          + (prior.control() == null ? "an unconditional prior" : "one trained on " + prior.control().id()));
    }
    int size = prior.style();
    int rows = conditioning ? 2 * count : count;
    SplittableRandom rng = Seeds.rng(seed, "control3diff-sample", route.ordinal());
    NoiseSchedule schedule = prior.schedule();
    int last = schedule.numTrainTimesteps() - 1;
    int[] ts = new int[settings.steps()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = ts.length == 1 ? last : (int) Math.round(last * (1 - (double) i / (ts.length - 1)));
    }
    float[][] x = new float[count][size];
    for (float[] xs : x) {
      for (int d = 0; d < size; d++) {
        xs[d] = (float) rng.nextGaussian();
      }
    }
    try (CompiledGraph denoiser = prior.denoiser(rows, backend);
        CompiledGraph guide = conditioning ? null : guidance(gan, control, count, backend)) {
      fillControl(denoiser, prior, c, pose, count, conditioning);
      if (guide != null) {
        for (int i = 0; i < count; i++) {
          guide.in("target").floats().put(i * c.length, c);
        }
        gan.fillRays(guide, Collections.nCopies(count, pose), null);
      }
      Step step = new Step(prior, denoiser, guide, settings, count, conditioning);
      for (int i = 0; i < ts.length; i++) {
        double a = Math.sqrt(schedule.alphaCumprod(ts[i]));
        double s = Math.sqrt(1 - schedule.alphaCumprod(ts[i]));
        float[][] x0 = step.denoised(x, ts[i], a, s);
        if (i == ts.length - 1) {
          List<float[]> out = new ArrayList<>();
          for (float[] e : x0) {
            out.add(prior.denormalize(e));
          }
          return out;
        }
        double aNext = Math.sqrt(schedule.alphaCumprod(ts[i + 1]));
        double sNext = Math.sqrt(1 - schedule.alphaCumprod(ts[i + 1]));
        for (int b = 0; b < count; b++) {
          for (int d = 0; d < size; d++) {
            double eps = (x[b][d] - a * x0[b][d]) / s;
            x[b][d] = (float) (aNext * x0[b][d] + sNext * eps);
          }
        }
        if (route == Route.GUIDANCE_LANGEVIN) {
          for (int k = 0; k < settings.langevinSteps(); k++) {
            float[][] e0 = step.denoised(x, ts[i + 1], aNext, sNext);
            double delta = settings.langevinDelta();
            for (int b = 0; b < count; b++) {
              for (int d = 0; d < size; d++) {
                double eps = (x[b][d] - aNext * e0[b][d]) / sNext;
                x[b][d] = (float) (x[b][d] - 0.5 * delta * sNext * eps + Math.sqrt(delta) * sNext * rng.nextGaussian());
              }
            }
          }
        }
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** One denoised estimate x̂ per row: the (guided or classifier-free) prediction, clipped. */
  private record Step(LatentPrior prior, CompiledGraph denoiser, CompiledGraph guide, Settings settings, int count,
      boolean conditioning) {

    float[][] denoised(float[][] x, int t, double a, double s) {
      int size = prior.style();
      FloatBuffer in = denoiser.in("x_t").floats();
      int rows = conditioning ? 2 * count : count;
      for (int r = 0; r < rows; r++) {
        in.put(r * size, x[r % count]);
        denoiser.in("t").set(r, t);
      }
      denoiser.run();
      FloatBuffer eps = denoiser.out("eps").floats();
      float[][] x0 = new float[count][size];
      for (int b = 0; b < count; b++) {
        for (int d = 0; d < size; d++) {
          double e = eps.get(b * size + d);
          if (conditioning) {
            double u = eps.get((count + b) * size + d);
            e = u + settings.cfgScale() * (e - u);
          }
          x0[b][d] = clip((x[b][d] - s * e) / a, settings.clip());
        }
      }
      if (guide != null) {
        float[] spread = prior.spread();
        FloatBuffer w = guide.in("w").floats();
        for (int b = 0; b < count; b++) {
          w.put(b * size, prior.denormalize(x0[b]));
        }
        guide.run();
        FloatBuffer grad = guide.out("grad:w").floats();
        for (int b = 0; b < count; b++) {
          for (int d = 0; d < size; d++) {
            double gx = grad.get(b * size + d) * spread[d];
            x0[b][d] = clip(x0[b][d] - settings.guidanceScale() * s * gx, settings.clip());
          }
        }
      }
      return x0;
    }
  }

  /** The guidance graph: {@code w [B, W]}, rays and {@code target} → {@code loss} and {@code grad:w}. */
  static CompiledGraph guidance(TriplaneGan gan, ControlSignal control, int batch, OrtBackend backend) {
    Graph g = new Graph("control3diff_guidance");
    Value w = g.input("w", Shape.of(batch, gan.config().style()));
    Value image = gan.renderRays(g, gan.networks().synthesis(g, w), batch);
    int side = gan.config().imageSize();
    Value target = g.input("target", Shape.of(batch, control.channels(), side, side));
    Value loss = control.loss(g, image, target);
    return new CompiledGraph(g, Map.of("loss", loss, "grad:w", Autodiff.gradients(loss, List.of(w)).get(w)),
        gan.generatorWeights(), backend);
  }

  private static void fillControl(CompiledGraph denoiser, LatentPrior prior, float[] c, Camera pose, int count,
      boolean conditioning) {
    int rows = conditioning ? 2 * count : count;
    FloatBuffer cb = denoiser.in("control").floats();
    int cs = cb.capacity() / rows;
    for (int r = 0; r < rows; r++) {
      boolean keep = conditioning && r < count;
      denoiser.in("keep").set(r, keep ? 1 : 0);
      if (keep) {
        if (c.length != cs) {
          throw new IllegalArgumentException("control holds " + c.length + " values, the prior reads " + cs);
        }
        cb.put(r * cs, c);
      }
      TriplaneGan.writePose(pose, denoiser.in("pose"), r);
    }
  }

  private static float clip(double v, double limit) {
    return (float) Math.max(-limit, Math.min(limit, v));
  }
}
