package dev.kiln.spi;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Tensor;

/**
 * Volume rendering of ray samples, with two faces that give the same pixels: a graph builder
 * (differentiable, for training) and a host path (for inference on an exported field network).
 * Shapes: {@code R} rays, {@code S} samples per ray.
 */
public interface Renderer {

  /**
   * Rendered rays in a graph.
   *
   * @param rgb [R, 3]
   * @param depth [R] expected distance
   * @param opacity [R] accumulated opacity Σ w
   * @param weights [R, S] per-sample weights w
   */
  record GraphRays(Value rgb, Value depth, Value opacity, Value weights) {}

  /** Rendered rays on the host; shapes as in {@link GraphRays}. */
  record HostRays(Tensor rgb, Tensor depth, Tensor opacity, Tensor weights) {}

  /**
   * Builds rendering into {@code g}.
   *
   * @param density σ [R, S] (non-negative)
   * @param color [R, S, 3]
   * @param t sample distances along each ray [R, S]
   * @param delta sample spacing δ [R, S]
   * @param background colour behind the scene, 3 values
   */
  GraphRays build(Graph g, Value density, Value color, Value t, Value delta, double[] background);

  /** The same computation on host tensors. */
  HostRays render(Tensor density, Tensor color, Tensor t, Tensor delta, double[] background);
}
