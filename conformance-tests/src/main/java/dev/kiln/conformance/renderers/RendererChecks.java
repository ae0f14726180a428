package dev.kiln.conformance.renderers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Renderer;
import java.util.function.BiFunction;

/**
 * The checks of {@link RendererContract}, as static methods on a renderer: each runs both faces
 * (host and graph) and asserts the same property of each.
 */
public final class RendererChecks {

  private static final double[] WHITE = {1, 1, 1};
  private static final double[] TEAL = {0.1, 0.6, 0.5};

  private RendererChecks() {}

  /**
   * A sphere of radius 0.8 and uniform density σ = 1.5, crossed by parallel rays at offsets b from
   * its centre: each bin's density is σ times the fraction of the bin inside the sphere, so the
   * quadrature's optical depth Σσ_iδ_i equals σ times the chord 2√(r² − b²) and the opacity must be
   * {@code 1 − exp(−σ·chord)} on every ray (0 for the ray that misses).
   */
  public static void uniformSphereGivesTheAnalyticOpacity(Renderer renderer, OrtBackend backend) {
    double radius = 0.8;
    double sigma = 1.5;
    double[] offsets = {0, 0.2, 0.4, 0.6, 0.75, 0.79, 0.9};
    int samples = 96;
    double near = 2;
    double far = 4;
    double centre = 3;
    double[][] density = new double[offsets.length][samples];
    double[] expected = new double[offsets.length];
    double bin = (far - near) / samples;
    for (int i = 0; i < offsets.length; i++) {
      double b = offsets[i];
      double half = b < radius ? Math.sqrt(radius * radius - b * b) : 0;
      expected[i] = 1 - Math.exp(-sigma * 2 * half);
      for (int k = 0; k < samples; k++) {
        double lo = near + k * bin;
        double hi = lo + bin;
        double inside = Math.max(0, Math.min(hi, centre + half) - Math.max(lo, centre - half));
        density[i][k] = sigma * inside / bin;
      }
    }
    RendererFaces in = RendererFaces.uniformBins(density, null, near, far);
    forBothFaces(renderer, backend, in, WHITE, (face, out) -> {
      for (int i = 0; i < offsets.length; i++) {
        assertThat(out.opacity().get(i)).as("%s face: opacity of the ray at offset %s", face, offsets[i])
            .isCloseTo(expected[i], within(2e-5));
      }
      return null;
    });
  }

  /** Zero density everywhere: every ray shows the background, with zero opacity and zero weights. */
  public static void emptySpaceGivesTheBackground(Renderer renderer, OrtBackend backend) {
    RendererFaces in = RendererFaces.uniformBins(new double[5][16], null, 1, 3);
    forBothFaces(renderer, backend, in, TEAL, (face, out) -> {
      for (int i = 0; i < 5; i++) {
        assertThat(out.opacity().get(i)).as("%s face: opacity", face).isCloseTo(0, within(1e-7));
        for (int ch = 0; ch < 3; ch++) {
          assertThat(out.rgb().get(3 * i + ch)).as("%s face: colour", face).isCloseTo(TEAL[ch], within(1e-6));
        }
      }
      assertThat(maxAbs(out.weights())).as("%s face: weights", face).isLessThanOrEqualTo(1e-7);
      return null;
    });
  }

  /**
   * Random densities over six orders of magnitude: every weight is non-negative, each ray's weights
   * sum to at most 1, and the opacity is that sum.
   */
  public static void weightsSumToAtMostOne(Renderer renderer, OrtBackend backend) {
    RendererFaces in = RendererFaces.random(64, 32, 7);
    forBothFaces(renderer, backend, in, WHITE, (face, out) -> {
      for (int i = 0; i < in.rays(); i++) {
        double sum = 0;
        for (int k = 0; k < in.samples(); k++) {
          double w = out.weights().get(i * in.samples() + k);
          assertThat(w).as("%s face: weight %d of ray %d", face, k, i).isGreaterThanOrEqualTo(0);
          sum += w;
        }
        assertThat(sum).as("%s face: Σw of ray %d", face, i).isLessThanOrEqualTo(1 + 1e-6);
        assertThat(out.opacity().get(i)).as("%s face: opacity of ray %d", face, i).isCloseTo(sum, within(1e-5));
      }
      return null;
    });
  }

  /**
   * One sample with a huge density behind empty space: the ray takes that sample's colour, its
   * distance as the expected depth, and opacity 1.
   */
  public static void opaqueSampleGivesItsColourAndDepth(Renderer renderer, OrtBackend backend) {
    int samples = 20;
    double[][] density = new double[1][samples];
    double[][][] color = new double[1][samples][3];
    int hit = 13;
    density[0][hit] = 1e4;
    density[0][hit + 3] = 1e4;
    color[0][hit] = new double[] {0.9, 0.2, 0.3};
    RendererFaces in = RendererFaces.uniformBins(density, color, 1, 3);
    double tHit = 1 + (hit + 0.5) * 2.0 / samples;
    forBothFaces(renderer, backend, in, WHITE, (face, out) -> {
      assertThat(out.opacity().get(0)).as("%s face: opacity", face).isCloseTo(1, within(1e-6));
      assertThat(out.depth().get(0)).as("%s face: depth", face).isCloseTo(tHit, within(1e-4));
      assertThat(out.rgb().get(0)).as("%s face: red", face).isCloseTo(0.9, within(1e-5));
      assertThat(out.rgb().get(1)).as("%s face: green", face).isCloseTo(0.2, within(1e-5));
      return null;
    });
  }

  /** On random rays the graph face run by ONNX Runtime equals the host face (float32 rounding). */
  public static void graphFaceEqualsHostFace(Renderer renderer, OrtBackend backend) {
    RendererFaces in = RendererFaces.random(48, 24, 11);
    Renderer.HostRays host = in.host(renderer, TEAL);
    Renderer.HostRays graph = in.graph(renderer, TEAL, backend);
    assertClose("rgb", graph.rgb(), host.rgb(), 1e-5);
    assertClose("depth", graph.depth(), host.depth(), 1e-4);
    assertClose("opacity", graph.opacity(), host.opacity(), 1e-5);
    assertClose("weights", graph.weights(), host.weights(), 1e-5);
  }

  private static void forBothFaces(Renderer renderer, OrtBackend backend, RendererFaces in, double[] background,
      BiFunction<String, Renderer.HostRays, Void> check) {
    check.apply("host", in.host(renderer, background));
    check.apply("graph", in.graph(renderer, background, backend));
  }

  private static void assertClose(String what, Tensor actual, Tensor expected, double tol) {
    assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
    for (int i = 0; i < expected.size(); i++) {
      double a = actual.get(i);
      double e = expected.get(i);
      assertThat(a).as("%s[%d]: graph face vs host face", what, i).isCloseTo(e, within(tol * Math.max(1, Math.abs(e))));
    }
  }

  private static double maxAbs(Tensor t) {
    double m = 0;
    for (int i = 0; i < t.size(); i++) {
      m = Math.max(m, Math.abs(t.get(i)));
    }
    return m;
  }
}
