package dev.kiln.diffusion.fields;

import dev.kiln.graph.DType;
import dev.kiln.inference.Domain;
import dev.kiln.inference.FieldRenders;
import dev.kiln.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The data fields, and what users see of sampled fields: meshes, depth views, sphere maps. */
class FieldOutputsTest {

  @TempDir
  Path dir;

  @Test
  void anOccupancyMeshIsClosedAndWoundOutward() throws Exception {
    int r = 6;
    double[] signals = new double[r * r * r];
    ProceduralShapes.occupancy(List.of(new ProceduralShapes.Ball(0, 0, 0, 0.6),
        new ProceduralShapes.Box(0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0)), new Domain.Volume().grid(r), signals, 0);
    float[] values = new float[signals.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) signals[i];
    }
    Path ply = dir.resolve("m.ply");
    OccupancyMesh.writePly(values, 0, r, ply);
    List<String> lines = Files.readAllLines(ply);
    int vertices = Integer.parseInt(lines.get(3).split(" ")[2]);
    int faces = Integer.parseInt(lines.get(7).split(" ")[2]);
    int header = lines.indexOf("end_header") + 1;
    Map<String, Integer> edges = new HashMap<>();
    for (String f : lines.subList(header + vertices, header + vertices + faces)) {
      int[] v = Arrays.stream(f.split(" ")).skip(1).mapToInt(Integer::parseInt).toArray();
      for (int k = 0; k < 4; k++) {
        edges.merge(v[k] + ">" + v[(k + 1) % 4], 1, Integer::sum);
      }
    }
    assertThat(faces).isPositive();
    // closed and consistently wound: each edge is crossed as often one way as the other (twice each
    // where two voxels meet only along that edge)
    edges.forEach((e, count) -> {
      String[] ab = e.split(">");
      assertThat(edges.get(ab[1] + ">" + ab[0])).as("reverse of edge %s", e).isEqualTo(count);
    });
  }

  @Test
  void depthViewsSeeAnOccupiedCentreAndNothingOfAnEmptyField() {
    int r = 8;
    double[] signals = new double[2 * r * r * r];
    ProceduralShapes.occupancy(List.of(new ProceduralShapes.Ball(0, 0, 0, 0.5)), new Domain.Volume().grid(r), signals,
        0);
    Arrays.fill(signals, r * r * r, signals.length, -1);
    Tensor views = FieldRenders.depthViews(Tensor.of(DType.FLOAT, signals, 2, r * r * r, 1), r, 16);
    assertThat(views.shape()).containsExactly(2 * FieldRenders.VIEWS, 1, 16, 16);
    int centre = 8 * 16 + 8;
    for (int v = 0; v < FieldRenders.VIEWS; v++) {
      assertThat(views.get(v * 256 + centre)).as("view %d centre", v).isGreaterThan(0.3);
      assertThat(views.get(v * 256)).as("view %d corner", v).isZero();
      assertThat(views.get((FieldRenders.VIEWS + v) * 256 + centre)).as("empty field, view %d", v).isZero();
    }
  }

  @Test
  void sphereDigitsLieOnTheNorthernCapAndPlaneDigitsAreMnist() {
    FieldData sphere = FieldData.of("sphere-mnist", 12, 4);
    double[] s = new double[4 * sphere.pairs()];
    long[] labels = sphere.sample(1, 1, 4, s);
    assertThat(labels).hasSize(4);
    double[] c = sphere.coords();
    double north = 0;
    for (int i = 0; i < 4; i++) {
      for (int p = 0; p < sphere.pairs(); p++) {
        if (c[3 * p + 2] <= 0) {
          assertThat(s[i * sphere.pairs() + p]).isEqualTo(-1);
        } else {
          north = Math.max(north, s[i * sphere.pairs() + p]);
        }
      }
    }
    assertThat(north).as("brightest northern value").isGreaterThan(0.5);
    FieldData plane = FieldData.of("mnist", null, 4);
    assertThat(plane.pairs()).isEqualTo(784);
    Tensor grid = FieldRenders.grid(sphere.domain(), Tensor.of(DType.FLOAT, s, 4, sphere.pairs(), 1), 12, 0);
    assertThat(grid.shape()).containsExactly(4, 1, 12, 24);
  }
}
