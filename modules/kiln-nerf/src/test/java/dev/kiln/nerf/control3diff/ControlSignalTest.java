package dev.kiln.nerf.control3diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Controls of rendered views: host and graph forms agree, fidelity scores tell views apart. */
class ControlSignalTest {

  private static final int SIDE = 16;

  private static List<View> views() {
    return dev.kiln.nerf.scenes.MultiViewDataset.generate(new dev.kiln.nerf.scenes.MultiViewDataset.Config(
        List.of(dev.kiln.nerf.scenes.Category.TOYCAR), 2, 1, 1, SIDE, null, null, 2, 3L)).train().stream()
        .map(s -> s.inputs().get(0)).toList();
  }

  private static float[] soft(ControlSignal c, float[] rgb) {
    Graph g = new Graph("soft_control");
    Value image = g.input("image", Shape.of(1, 3, SIDE, SIDE));
    g.output("c", c.soft(g, image));
    try (Session s = TinyGan.BACKEND.load(ModelWriter.of(g).toBytes())) {
      return s.run(Map.of("image", Tensor.of(rgb, 1, 3, SIDE, SIDE))).get("c").toFloatArray();
    }
  }

  @Test
  void softSegmentationPicksTheSameLevelAsTheHostForm() {
    float[] rgb = views().get(0).rgb();
    float[] hard = ControlSignal.SEGMENTATION.of(rgb, SIDE);
    float[] soft = soft(ControlSignal.SEGMENTATION, rgb);
    int n = SIDE * SIDE;
    int classes = 0;
    for (int k = 0; k < 4; k++) {
      boolean used = false;
      for (int p = 0; p < n; p++) {
        used |= hard[k * n + p] == 1;
      }
      classes += used ? 1 : 0;
    }
    assertThat(classes).as("a toy car on white uses several levels").isGreaterThanOrEqualTo(2);
    assertThat(ControlSignal.SEGMENTATION.fidelity(rgb, soft, SIDE)).isEqualTo(1.0);
  }

  @Test
  void softEdgesAboveOneHalfAreTheHostEdges() {
    float[] rgb = views().get(0).rgb();
    float[] hard = ControlSignal.EDGES.of(rgb, SIDE);
    float[] soft = soft(ControlSignal.EDGES, rgb);
    int edges = 0;
    int disagree = 0;
    for (int i = 0; i < hard.length; i++) {
      edges += hard[i] == 1 ? 1 : 0;
      disagree += (soft[i] > 0.5) != (hard[i] == 1) ? 1 : 0;
    }
    assertThat(edges).as("the object's outline has edges").isGreaterThan(8).isLessThan(hard.length / 2);
    assertThat(disagree).isZero();
  }

  @Test
  void fidelityIsPerfectForTheSameViewAndLowerForAnotherScene() {
    List<View> v = views();
    for (ControlSignal c : ControlSignal.values()) {
      float[] control = c.of(v.get(0).rgb(), SIDE);
      double self = c.fidelity(v.get(0).rgb(), control, SIDE);
      double other = c.fidelity(v.get(1).rgb(), control, SIDE);
      assertThat(other).as(c.id()).isLessThan(self);
      if (c != ControlSignal.IMAGE) {
        assertThat(self).as(c.id()).isEqualTo(1.0);
      }
    }
  }

  @Test
  void unknownControlNamesTheValueAndTheChoices() {
    assertThatThrownBy(() -> ControlSignal.parse("sketchy")).hasMessageContaining("`sketchy`")
        .hasMessageContaining("image, edges or segmentation");
  }
}
