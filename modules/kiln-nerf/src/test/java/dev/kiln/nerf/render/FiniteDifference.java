package dev.kiln.nerf.render;

import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.Tensor;

/** The finite difference the NeRF gradient tests check their graphs' analytic gradients against. */
public final class FiniteDifference {

  private FiniteDifference() {}

  /** (loss(x_i + h) − loss(x_i − h)) / 2h of a compiled graph's {@code loss} output, x restored after. */
  public static double central(CompiledGraph g, Tensor x, int i, double h) {
    double orig = x.get(i);
    x.set(i, orig + h);
    g.run();
    double up = g.out("loss").get(0);
    x.set(i, orig - h);
    g.run();
    double down = g.out("loss").get(0);
    x.set(i, orig);
    return (up - down) / (2 * h);
  }
}
