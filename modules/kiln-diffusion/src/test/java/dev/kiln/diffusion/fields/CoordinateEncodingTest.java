package dev.kiln.diffusion.fields;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.inference.Domain;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** Domains' grids and the coordinate features computed in the graph. */
class CoordinateEncodingTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));

  private static double[] features(CoordinateEncoding e, Domain d, double[] points) {
    Graph g = new Graph("pe", DType.DOUBLE);
    int p = points.length / d.dimension();
    g.output("f", e.apply(g, g.input("m", DType.DOUBLE, Shape.of(1, p, d.dimension())), d));
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      return s.run(Map.of("m", Tensor.of(DType.DOUBLE, points, 1, p, d.dimension()))).get("f").toDoubleArray();
    }
  }

  @Test
  void sphericalHarmonicsOfDegreeTwoAreTheClosedForms() {
    Domain sphere = new Domain.Sphere();
    double x = 0.48;
    double y = -0.6;
    double z = 0.64;
    double[] f = features(new CoordinateEncoding(CoordinateEncoding.Kind.HARMONICS, 0, 2), sphere,
        new double[] {x, y, z});
    double pi = Math.PI;
    // order within degree l: m = −l … l
    assertThat(f).hasSize(9);
    assertThat(f[0]).isCloseTo(0.5 / Math.sqrt(pi), offset(1e-12));
    assertThat(f[2]).isCloseTo(Math.sqrt(3 / (4 * pi)) * z, offset(1e-12));
    assertThat(f[3]).isCloseTo(Math.sqrt(3 / (4 * pi)) * x, offset(1e-12));
    assertThat(f[1]).isCloseTo(Math.sqrt(3 / (4 * pi)) * y, offset(1e-12));
    assertThat(f[6]).isCloseTo(0.25 * Math.sqrt(5 / pi) * (3 * z * z - 1), offset(1e-12));
    assertThat(f[8]).isCloseTo(0.25 * Math.sqrt(15 / pi) * (x * x - y * y), offset(1e-12));
    assertThat(f[4]).isCloseTo(0.5 * Math.sqrt(15 / pi) * x * y, offset(1e-12));
  }

  @Test
  void harmonicsAreOrthonormalOnTheSphereGrid() {
    Domain sphere = new Domain.Sphere();
    int r = 48;
    double[] grid = sphere.grid(r);
    int p = sphere.pairs(r);
    double[] f = features(new CoordinateEncoding(CoordinateEncoding.Kind.HARMONICS, 0, 3), sphere, grid);
    int w = 16;
    // quadrature weight of a latitude–longitude cell: sin θ dθ dφ
    double[][] gram = new double[w][w];
    for (int i = 0; i < p; i++) {
      double weight = Math.sqrt(1 - grid[3 * i + 2] * grid[3 * i + 2]) * (Math.PI / r) * (Math.PI / r);
      for (int a = 0; a < w; a++) {
        for (int b = 0; b < w; b++) {
          gram[a][b] += weight * f[i * w + a] * f[i * w + b];
        }
      }
    }
    for (int a = 0; a < w; a++) {
      for (int b = 0; b < w; b++) {
        assertThat(gram[a][b]).as("<Y_%d, Y_%d>", a, b).isCloseTo(a == b ? 1 : 0, offset(0.01));
      }
    }
  }

  @Test
  void fourierFeaturesKeepTheCoordinatesAndAddOctaves() {
    Domain plane = new Domain.Plane();
    CoordinateEncoding e = new CoordinateEncoding(CoordinateEncoding.Kind.FOURIER, 3, 0);
    assertThat(e.width(plane)).isEqualTo(14);
    double[] f = features(e, plane, new double[] {0.25, -0.5});
    assertThat(f).hasSize(14);
    assertThat(f[0]).isEqualTo(0.25);
    assertThat(f[1]).isEqualTo(-0.5);
    // sin(2^k·π·u) for u = 0.25 at columns 2..4, then v's at 5..7; cosines after
    assertThat(f[2]).isCloseTo(Math.sin(Math.PI * 0.25), offset(1e-12));
    assertThat(f[4]).isCloseTo(Math.sin(4 * Math.PI * 0.25), offset(1e-12));
    assertThat(f[5]).isCloseTo(Math.sin(-Math.PI * 0.5), offset(1e-12));
    assertThat(f[8]).isCloseTo(Math.cos(Math.PI * 0.25), offset(1e-12));
  }

  @Test
  void gridsCoverTheirDomains() {
    assertThat(new Domain.Plane().grid(4)).startsWith(-0.75, -0.75, -0.25, -0.75);
    assertThat(new Domain.Volume().pairs(5)).isEqualTo(125);
    double[] s = new Domain.Sphere().grid(6);
    assertThat(s).hasSize(6 * 12 * 3);
    for (int i = 0; i < s.length / 3; i++) {
      assertThat(s[3 * i] * s[3 * i] + s[3 * i + 1] * s[3 * i + 1] + s[3 * i + 2] * s[3 * i + 2])
          .isCloseTo(1, offset(1e-12));
    }
    assertThatThrownBy(() -> CoordinateEncoding.of("harmonics", 0, 2, new Domain.Plane()))
        .hasMessageContaining("harmonics` is for the sphere");
    assertThatThrownBy(() -> Domain.parse("torus", "domain")).hasMessageContaining("plane, volume or sphere");
  }
}
