package dev.kiln.diffusion.agm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where an AGM sampler evaluates the model between t₀ and t_hop. */
public enum TimeGrid {
  /** t_i = (linspace(√t₀, √t_hop, n))²: dense near the prior, the paper's default ({@code rev-quad}). */
  REV_QUAD("rev_quad"),
  /** t_i = linspace(t₀, t_hop, n). */
  UNIFORM("uniform");

  private final String id;

  TimeGrid(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static TimeGrid parse(String s) {
    for (TimeGrid g : values()) {
      if (g.id.equals(s)) {
        return g;
      }
    }
    throw new IllegalArgumentException("time_grid must be one of "
        + Arrays.stream(values()).map(TimeGrid::id).toList() + ", got `" + s + "`");
  }

  /** n increasing times from t₀ to t_hop (just t₀ when n = 1, as linspace gives). */
  public double[] nodes(int n, double t0, double tHop) {
    double[] ts = new double[n];
    for (int i = 0; i < n; i++) {
      double f = n == 1 ? 0 : (double) i / (n - 1);
      if (this == REV_QUAD) {
        double s = Math.sqrt(t0) + f * (Math.sqrt(tHop) - Math.sqrt(t0));
        ts[i] = s * s;
      } else {
        ts[i] = t0 + f * (tHop - t0);
      }
    }
    if (n > 1) {
      ts[n - 1] = tHop;
    }
    return ts;
  }
}
