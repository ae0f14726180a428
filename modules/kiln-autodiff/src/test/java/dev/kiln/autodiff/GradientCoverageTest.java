package dev.kiln.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.GraphException;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The standard registry decides every operator a graph can build, and only those. */
class GradientCoverageTest {

  private static final GradientRegistry STANDARD = GradientRegistry.standard();

  @Test
  void everyOperatorTheGraphBuildsHasARuleOrIsMarkedNotDifferentiable() {
    Set<String> undecided = new TreeSet<>(Graph.operatorTypes());
    undecided.removeAll(STANDARD.differentiableOps());
    undecided.removeAll(STANDARD.nonDifferentiableOps());
    assertThat(undecided).as("operators with neither a gradient rule nor a not-differentiable entry").isEmpty();
  }

  @Test
  void everyDecisionNamesAnOperatorTheGraphBuilds() {
    Set<String> stale = new TreeSet<>(STANDARD.differentiableOps());
    stale.addAll(STANDARD.nonDifferentiableOps());
    stale.removeAll(Graph.operatorTypes());
    assertThat(stale).as("gradient decisions for operators without a shape rule (or keyed without domain)")
        .isEmpty();
  }

  @Test
  void everyNotDifferentiableEntrySaysWhy() {
    for (String op : STANDARD.nonDifferentiableOps()) {
      assertThat(STANDARD.nonDifferentiableReason(op)).as(op).isNotBlank();
      assertThat(STANDARD.rule(op)).as(op).isNull();
    }
  }

  @Test
  void integerAndBooleanOutputsContributeNoGradient() {
    Graph g = new Graph("int", DType.DOUBLE);
    Value x = g.input("x", Shape.of(3, 4));
    Value positive = g.cast(g.greater(x, g.scalar(0)), DType.DOUBLE);
    Value argMax = g.cast(g.apply("ArgMax", List.of(x), Graph.attrs("axis", 1L)), DType.DOUBLE);
    Value count = g.cast(g.size(x), DType.DOUBLE);
    Value loss = g.add(g.sumAll(g.mul(x, positive)), g.mul(g.sumAll(argMax), count));
    assertThatCode(() -> Autodiff.gradients(loss, List.of(x))).doesNotThrowAnyException();
  }

  @Test
  void aGradientThroughANotDifferentiableOperatorIsAnErrorNamingTheNode() {
    Graph g = new Graph("onehot", DType.DOUBLE);
    Value ids = g.input("ids", DType.INT64, Shape.of(3));
    Value onOff = g.input("onOff", Shape.of(2));
    Value encoded;
    try (var s = g.scope("embed")) {
      encoded = g.apply("OneHot", List.of(ids, g.constantLongs(4), onOff), Map.of());
    }
    Value loss = g.sumAll(encoded);
    assertThatThrownBy(() -> Autodiff.gradients(loss, List.of(onOff)))
        .isInstanceOf(GraphException.class)
        .hasMessageContaining("OneHot `embed`")
        .hasMessageContaining("not differentiable (" + STANDARD.nonDifferentiableReason("OneHot") + ")");
  }
}
