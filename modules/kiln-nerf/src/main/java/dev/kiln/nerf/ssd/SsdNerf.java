package dev.kiln.nerf.ssd;

import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nerf.field.FieldRenderer;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.VolumeRenderer;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.train.Ema;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * SSDNeRF, single-stage diffusion NeRF (Chen et al., ICCV 2023, arXiv 2304.06714): per-scene
 * triplane codes {@code x = 2·tanh(code)}, a shared triplane decoder ψ and a UNet diffusion prior φ
 * over the codes, trained jointly on one objective (Eq. 4)
 *
 * <pre>
 *   L = λ_rend L_rend(x, ψ) + λ_diff L_diff(x, φ)
 *   L_rend = E‖ŷ_ψ(x, r) − y(r)‖²                                                  (Eq. 1)
 *   L_diff = E_{t,ε} ½ w(t) ‖x̂_φ(α_t x + σ_t ε, t) − x‖²,  w(t) = (α_t/σ_t)^{2ω}    (Eq. 2, v-prediction)
 *   λ_rend = c_rend (1 − e^{−0.1 N_v}),  λ_diff = c_diff / EMA(mean x²)
 * </pre>
 *
 * with the prior gradient cached across the inner rendering steps (Algorithm 1). At test time a
 * scene is reconstructed from one or a few views by DDIM sampling guided by the rendering loss
 * (Eq. 5–6) and a short finetune under the prior (Eq. 7), see {@link GuidedReconstruction}.
 * Report: {@code docs/reproductions/ssdnerf.md}.
 */
public final class SsdNerf {

  private final SsdNerfConfig config;
  private final SsdGraphs graphs;
  private final NoiseSchedule schedule;
  private final Map<String, Tensor> decoder;
  private final Map<String, Tensor> prior;
  private final Ema priorAverage;
  private double norm = 1.0;
  private float[][] sceneCodes = new float[0][];

  private SsdNerf(SsdNerfConfig config, long seed) {
    this.config = config;
    this.graphs = new SsdGraphs(config.model());
    SsdNerfConfig.Model m = config.model();
    this.schedule = NoiseSchedule.of(m.timesteps(), m.betaStart(), m.betaEnd(), BetaSchedule.LINEAR, null, false);
    this.decoder = new LinkedHashMap<>();
    this.prior = new LinkedHashMap<>();
    Graph g = graphs.allParameters();
    Weights w = Weights.initialize(g, seed);
    for (Value p : g.parameters()) {
      (p.name().startsWith("decoder.") ? decoder : prior).put(p.name(), w.get(p.name()));
    }
    this.priorAverage = new Ema(config.training().priorEma(), Weights.of(prior));
  }

  private SsdNerf(SsdNerf trained, SsdNerfConfig config) {
    this.config = config;
    this.graphs = trained.graphs;
    this.schedule = trained.schedule;
    this.decoder = trained.decoder;
    this.prior = trained.prior;
    this.priorAverage = trained.priorAverage;
    this.norm = trained.norm;
    this.sceneCodes = trained.sceneCodes;
  }

  /**
   * This trained model with other test-time settings (guidance scale, finetune schedule); weights
   * and codes are shared, not copied.
   */
  public SsdNerf withReconstruction(SsdNerfConfig.Reconstruction reconstruction) {
    return new SsdNerf(this, new SsdNerfConfig(config.model(), config.training(), reconstruction));
  }

  /** A model with freshly initialised decoder and prior (no scene codes yet). */
  public static SsdNerf initialize(SsdNerfConfig config, long seed) {
    return new SsdNerf(config, seed);
  }

  public SsdNerfConfig config() {
    return config;
  }

  /** The triplane field (code layout and decoder). */
  public TriplaneField field() {
    return graphs.field();
  }

  /** Decoder weights (live). */
  public Map<String, Tensor> decoderWeights() {
    return decoder;
  }

  /** Prior weights (live; training updates them). */
  public Map<String, Tensor> priorWeights() {
    return prior;
  }

  /** The exponential moving average of the prior weights, used at test time. */
  public Map<String, Tensor> priorAverage() {
    return priorAverage.weights().asMap();
  }

  /** The training scenes' triplanes x = scale·tanh(code), one per scene (copies). */
  public List<float[]> trainedTriplanes() {
    return Arrays.stream(sceneCodes).map(this::activate).toList();
  }

  /** The running mean of x² that normalises the diffusion loss. */
  public double norm() {
    return norm;
  }

  SsdGraphs graphs() {
    return graphs;
  }

  NoiseSchedule schedule() {
    return schedule;
  }

  void setSceneCodes(float[][] codes) {
    this.sceneCodes = codes;
  }

  void setNorm(double value) {
    norm = value;
  }

  void updateNorm(double meanSquare) {
    double m = config.model().normMomentum();
    norm = (1 - m) * norm + m * meanSquare;
  }

  void updatePriorAverage(long step) {
    priorAverage.update(Weights.of(prior), step);
  }

  /** x = scale·tanh(code). */
  float[] activate(float[] code) {
    float[] x = new float[code.length];
    double s = config.model().codeScale();
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (s * Math.tanh(code[i]));
    }
    return x;
  }

  /** code = atanh(x / scale), with x pulled slightly inside ±scale. */
  float[] deactivate(float[] x) {
    float[] code = new float[x.length];
    double s = config.model().codeScale();
    for (int i = 0; i < x.length; i++) {
      double u = Math.max(-0.999, Math.min(0.999, x[i] / s));
      code[i] = (float) (0.5 * Math.log((1 + u) / (1 - u)));
    }
    return code;
  }

  /**
   * Writes a diffusion-loss batch: t uniform over the training steps, ε ~ N(0, I), α = √ᾱ_t,
   * σ = √(1−ᾱ_t), and the per-scene weight {@code c_diff / norm · ½ (α/σ)^{2ω} σ²} that turns the
   * v-space error into Eq. 2's x-space error.
   */
  void fillDiffusionBatch(CompiledGraph p, int scenes, double diffusionWeight, RandomGenerator rng) {
    double omega = config.model().omega();
    FloatBuffer noise = p.in("noise").floats();
    for (int i = 0, n = noise.capacity(); i < n; i++) {
      noise.put(i, (float) rng.nextGaussian());
    }
    for (int b = 0; b < scenes; b++) {
      int t = rng.nextInt(schedule.numTrainTimesteps());
      double ab = schedule.alphaCumprod(t);
      double a = Math.sqrt(ab);
      double s = Math.sqrt(1 - ab);
      p.in("t").set(b, t);
      p.in("alpha").set(b, a);
      p.in("sigma").set(b, s);
      p.in("weight").set(b, diffusionWeight / norm * 0.5 * Math.pow(a / s, 2 * omega) * s * s);
    }
  }

  /**
   * Renders triplanes {@code x} (one per scene) from the given cameras through the exported field
   * network and the host renderer; one image [3, H, W] per scene.
   */
  public float[][] render(List<float[]> x, List<Camera> cameras, OrtBackend backend) {
    try (FieldRenderer r = renderer(x.size(), cameras.get(0).intrinsics().pixels(), backend)) {
      return r.render(x, cameras);
    }
  }

  /** A host-path renderer of {@code scenes} images of {@code pixels} pixels per call, for repeated use. */
  public FieldRenderer renderer(int scenes, int pixels, OrtBackend backend) {
    return new FieldRenderer(field(), decoder, VolumeRenderer.standard(), scenes, pixels,
        config.model().samplesPerRay(), SsdGraphs.BACKGROUND, backend);
  }
}
