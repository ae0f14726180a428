package dev.kiln.conformance.renderers;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Renderer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ray-sample inputs for the renderer checks, and both faces of a {@link Renderer} run on them: the
 * graph face built into a float32 graph and run by ONNX Runtime, the host face called directly.
 *
 * @param density σ [R, S]
 * @param color [R, S, 3]
 * @param t sample distances [R, S]
 * @param delta sample spacing [R, S]
 */
public record RendererFaces(Tensor density, Tensor color, Tensor t, Tensor delta) {

  /** Rays, samples per ray. */
  public int rays() {
    return (int) density.dim(0);
  }

  public int samples() {
    return (int) density.dim(1);
  }

  /** Evenly spaced samples over [near, far] on every ray, bin midpoints, with the given densities. */
  public static RendererFaces uniformBins(double[][] density, double[][][] color, double near, double far) {
    int r = density.length;
    int s = density[0].length;
    double bin = (far - near) / s;
    Tensor d = Tensor.zeros(DType.FLOAT, r, s);
    Tensor c = Tensor.zeros(DType.FLOAT, r, s, 3);
    Tensor t = Tensor.zeros(DType.FLOAT, r, s);
    Tensor delta = Tensor.zeros(DType.FLOAT, r, s);
    for (int i = 0; i < r; i++) {
      for (int k = 0; k < s; k++) {
        int idx = i * s + k;
        d.set(idx, density[i][k]);
        t.set(idx, near + (k + 0.5) * bin);
        delta.set(idx, bin);
        for (int ch = 0; ch < 3; ch++) {
          c.set(3 * idx + ch, color == null ? 0.5 : color[i][k][ch]);
        }
      }
    }
    return new RendererFaces(d, c, t, delta);
  }

  /**
   * Random rays: densities log-uniform over [1e-3, 1e3] with some exact zeros, colours in [0, 1],
   * increasing t with random spacing.
   */
  public static RendererFaces random(int rays, int samples, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor d = Tensor.zeros(DType.FLOAT, rays, samples);
    Tensor c = Tensor.zeros(DType.FLOAT, rays, samples, 3);
    Tensor t = Tensor.zeros(DType.FLOAT, rays, samples);
    Tensor delta = Tensor.zeros(DType.FLOAT, rays, samples);
    for (int i = 0; i < rays; i++) {
      double at = 0.5 + rng.nextDouble();
      for (int k = 0; k < samples; k++) {
        int idx = i * samples + k;
        double step = 0.01 + 0.2 * rng.nextDouble();
        at += step;
        t.set(idx, at);
        delta.set(idx, step);
        d.set(idx, rng.nextDouble() < 0.2 ? 0 : Math.pow(10, -3 + 6 * rng.nextDouble()));
        for (int ch = 0; ch < 3; ch++) {
          c.set(3 * idx + ch, rng.nextDouble());
        }
      }
    }
    return new RendererFaces(d, c, t, delta);
  }

  /** The host face. */
  public Renderer.HostRays host(Renderer renderer, double[] background) {
    return renderer.render(density, color, t, delta, background);
  }

  /** The graph face, built into a float32 graph with these inputs and run on {@code backend}. */
  public Renderer.HostRays graph(Renderer renderer, double[] background, OrtBackend backend) {
    Graph g = new Graph("renderer_contract");
    int r = rays();
    int s = samples();
    Value d = g.input("density", Shape.of(r, s));
    Value c = g.input("color", Shape.of(r, s, 3));
    Value tv = g.input("t", Shape.of(r, s));
    Value dv = g.input("delta", Shape.of(r, s));
    Renderer.GraphRays out = renderer.build(g, d, c, tv, dv, background);
    g.output("rgb", out.rgb());
    g.output("depth", out.depth());
    g.output("opacity", out.opacity());
    g.output("weights", out.weights());
    try (Session session = backend.load(ModelWriter.of(g).toBytes())) {
      Map<String, Tensor> res = session.run(Map.of("density", density, "color", color, "t", t, "delta", delta));
      return new Renderer.HostRays(res.get("rgb"), res.get("depth"), res.get("opacity"), res.get("weights"));
    }
  }
}
