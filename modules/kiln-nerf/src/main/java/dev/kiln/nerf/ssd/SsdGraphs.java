package dev.kiln.nerf.ssd;

import dev.kiln.autodiff.Autodiff;
import dev.kiln.diffusion.arch.UNet;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.render.VolumeRenderer;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graphs SSDNeRF runs, each compiled with static sizes: the rendering loss (Eq. 1) and the
 * diffusion loss (Eq. 2) with their gradients, the denoiser alone, and the field network alone.
 * Codes enter either raw ({@code code}, made into triplanes by {@code x = scale·tanh(code)}) or as
 * triplanes ({@code x}); decoder parameters live under {@code decoder.}, the prior's under
 * {@code prior.}.
 */
final class SsdGraphs {

  /** White, as SSDNeRF renders. */
  static final double[] BACKGROUND = {1, 1, 1};

  private final SsdNerfConfig.Model model;
  private final TriplaneField field;

  SsdGraphs(SsdNerfConfig.Model model) {
    this.model = model;
    this.field = new TriplaneField(model.field());
  }

  TriplaneField field() {
    return field;
  }

  /** What a rendering-loss graph takes and returns. */
  record RenderLossSpec(boolean rawCode, boolean decoderGradients, double pixelWeight, double codeRegularizer,
      double tvWeight) {}

  /**
   * Rendering loss of {@code scenes} scenes with {@code rays} rays each. Inputs {@code code} or
   * {@code x} [B, 3C, S, S], {@code points} [B, R·K, 3], {@code t} and {@code delta} [B·R, K],
   * {@code target} [B·R, 3]. Outputs {@code loss} = pixel_weight·3·mean((ĉ − c)²)
   * + reg·mean(x²) + tv·TV(x) ({@link #totalVariation}), {@code mse}, {@code grad:<input>} and, when asked,
   * {@code grad:<decoder parameter>}.
   */
  CompiledGraph renderLoss(int scenes, int rays, RenderLossSpec spec, Map<String, Tensor> weights,
      OrtBackend backend) {
    Graph g = new Graph("ssdnerf_render_loss");
    int k = model.samplesPerRay();
    Value code = codeInput(g, spec.rawCode() ? "code" : "x", scenes);
    Value x = spec.rawCode() ? triplanes(g, code) : code;
    Value points = g.input("points", Shape.of(scenes, (long) rays * k, 3));
    Value t = g.input("t", Shape.of((long) scenes * rays, k));
    Value delta = g.input("delta", Shape.of((long) scenes * rays, k));
    Value target = g.input("target", Shape.of((long) scenes * rays, 3));
    TriplaneField.Samples s = field.build(g, x, points);
    Value density = g.reshape(s.density(), (long) scenes * rays, k);
    Value color = g.reshape(s.color(), (long) scenes * rays, k, 3);
    Value rgb = VolumeRenderer.standard().build(g, density, color, t, delta, BACKGROUND).rgb();
    Value mse = g.meanAll(g.square(g.sub(rgb, target)));
    Value loss = g.mul(mse, 3 * spec.pixelWeight());
    if (spec.codeRegularizer() > 0) {
      loss = g.add(loss, g.mul(g.meanAll(g.square(x)), spec.codeRegularizer()));
    }
    if (spec.tvWeight() > 0) {
      loss = g.add(loss, g.mul(totalVariation(g, x), spec.tvWeight()));
    }
    List<Value> wrt = new ArrayList<>(List.of(code));
    if (spec.decoderGradients()) {
      wrt.addAll(g.trainableParameters());
    }
    Map<Value, Value> grads = Autodiff.gradients(loss, wrt);
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("loss", loss);
    outs.put("mse", mse);
    grads.forEach((v, dv) -> outs.put("grad:" + v.name(), dv));
    return new CompiledGraph(g, outs, weights, backend);
  }

  /**
   * Diffusion loss (Eq. 2, v-parameterised) of {@code scenes} codes: inputs {@code code} or {@code x},
   * {@code noise} ε [B, 3C, S, S], {@code t}, {@code alpha} (√ᾱ), {@code sigma} (√(1−ᾱ)) and
   * {@code weight} [B]; with x_t = αx + σε and v = αε − σx, {@code loss} = mean(weight·(v̂ − v)²).
   * The gradient reaches the code through x_t and through the target v. Outputs {@code grad:<input>}
   * when {@code codeGradient}, and {@code grad:<prior parameter>} when {@code priorGradients}.
   */
  CompiledGraph diffusionLoss(int scenes, boolean rawCode, boolean codeGradient, boolean priorGradients,
      Map<String, Tensor> weights, OrtBackend backend) {
    Graph g = new Graph("ssdnerf_diffusion_loss");
    Value code = codeInput(g, rawCode ? "code" : "x", scenes);
    Value x = rawCode ? triplanes(g, code) : code;
    Value noise = codeInput(g, "noise", scenes);
    Value t = g.input("t", Shape.of(scenes));
    Value alpha = perScene(g, g.input("alpha", Shape.of(scenes)));
    Value sigma = perScene(g, g.input("sigma", Shape.of(scenes)));
    Value weight = perScene(g, g.input("weight", Shape.of(scenes)));
    Value xt = g.add(g.mul(alpha, x), g.mul(sigma, noise));
    Value v = g.sub(g.mul(alpha, noise), g.mul(sigma, x));
    Value vhat = predict(g, xt, t);
    Value loss = g.meanAll(g.mul(weight, g.square(g.sub(vhat, v))));
    List<Value> wrt = new ArrayList<>();
    if (codeGradient) {
      wrt.add(code);
    }
    if (priorGradients) {
      wrt.addAll(g.trainableParameters());
    }
    Map<String, Value> outs = new LinkedHashMap<>();
    outs.put("loss", loss);
    if (!wrt.isEmpty()) {
      Autodiff.gradients(loss, wrt).forEach((p, dp) -> outs.put("grad:" + p.name(), dp));
    }
    return new CompiledGraph(g, outs, weights, backend);
  }

  /** The prior alone: {@code x_t} [B, 3C, S, S] and {@code t} [B] → {@code v} (v̂). */
  CompiledGraph denoiser(int scenes, Map<String, Tensor> weights, OrtBackend backend) {
    Graph g = new Graph("ssdnerf_denoiser");
    return new CompiledGraph(g, Map.of("v", denoise(g, scenes)), weights, backend);
  }

  /** The graph of {@link #denoiser} with its output {@code v} declared, for export. */
  Graph denoiserGraph(int scenes) {
    Graph g = new Graph("ssdnerf_denoiser");
    g.output("v", denoise(g, scenes));
    return g;
  }

  private Value denoise(Graph g, int scenes) {
    return denoise(g, Dim.of(scenes));
  }

  private Value denoise(Graph g, Dim scenes) {
    return predict(g, codeInput(g, "x_t", scenes), g.input("t", Shape.of(scenes)));
  }

  /** The graph of {@link #denoiser} for any number of scenes (first dim {@code N}), output {@code v}. */
  Graph batchedDenoiserGraph() {
    Graph g = new Graph("ssdnerf_denoiser");
    g.output("v", denoise(g, Dim.symbol("N")));
    return g;
  }

  /** A graph holding every parameter (decoder and prior), for initialisation. */
  Graph allParameters() {
    Graph g = new Graph("ssdnerf_parameters");
    Value x = codeInput(g, "x", 1);
    field.build(g, x, g.input("points", Shape.of(1, 1, 3)));
    predict(g, x, g.input("t", Shape.of(1)));
    return g;
  }

  /** v̂ = prior(x_t, t), parameters under {@code prior.}. */
  Value predict(Graph g, Value xt, Value t) {
    try (var s = g.scope("prior")) {
      return new UNet(model.prior()).build(g, Map.of("x", xt, "t", t)).get("out");
    }
  }

  /** x = scale·tanh(code). */
  Value triplanes(Graph g, Value code) {
    return g.mul(g.tanh(code), model.codeScale());
  }

  /**
   * The total variation the official SSDNeRF code regularises its first-stage codes with: per plane
   * channel, the forward differences Δ_h x and Δ_w x (zero past the last row and column, so every texel
   * has both), their isotropic length raised to 1.5, averaged over every texel of every channel and scene:
   * {@code TV = mean_{b,c,h,w} (Δ_h x² + Δ_w x²)^{3/4}}, no epsilon. Where both differences vanish the
   * term and its gradient are 0 (the limit of 1.5·Δ·|Δ|^{-1/2}); the inner Where keeps the power's
   * derivative finite there, so none of its infinity reaches the sum.
   *
   * @param x triplanes [B, 3C, S, S]
   */
  static Value totalVariation(Graph g, Value x) {
    long h = x.shape().dim(2).size();
    long w = x.shape().dim(3).size();
    Value dh = g.pad(g.sub(g.slice(x, 2, 1, h), g.slice(x, 2, 0, h - 1)), new long[] {0, 0, 0, 0, 0, 0, 1, 0}, 0);
    Value dw = g.pad(g.sub(g.slice(x, 3, 1, w), g.slice(x, 3, 0, w - 1)), new long[] {0, 0, 0, 0, 0, 0, 0, 1}, 0);
    Value squared = g.add(g.square(dh), g.square(dw));
    Value moving = g.greater(squared, g.scalarLike(squared, 0));
    Value safe = g.where(moving, squared, g.scalarLike(squared, 1));
    return g.meanAll(g.where(moving, g.pow(safe, 0.75), g.scalarLike(squared, 0)));
  }

  private Value codeInput(Graph g, String name, int scenes) {
    return codeInput(g, name, Dim.of(scenes));
  }

  private Value codeInput(Graph g, String name, Dim scenes) {
    int s = model.field().resolution();
    return g.input(name, Shape.of(scenes, Dim.of(model.field().codeChannels()), Dim.of(s), Dim.of(s)));
  }

  private static Value perScene(Graph g, Value v) {
    return g.unsqueeze(v, 1, 2, 3);
  }
}
