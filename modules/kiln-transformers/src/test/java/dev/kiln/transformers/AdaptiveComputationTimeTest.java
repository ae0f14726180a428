package dev.kiln.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.transformers.model.ActState;
import dev.kiln.transformers.serving.HaltingAccumulator;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ACT update in the graph ({@link ActState}) and in Java ({@link HaltingAccumulator}). */
class AdaptiveComputationTimeTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final int BATCH = 64;
  private static final int STEPS = 5;
  private static final int DIM = 3;
  private static final float THRESHOLD = 0.99f;
  private static final double TAU = 0.01;

  /** Halting probabilities per (example, step): random, certain at once, never, and mixed. */
  private static float[] probabilities() {
    SplittableRandom rng = new SplittableRandom(11);
    float[] p = new float[BATCH * STEPS];
    for (int i = 0; i < BATCH; i++) {
      for (int s = 0; s < STEPS; s++) {
        float v = switch (i % 4) {
          case 0 -> (float) rng.nextDouble();
          case 1 -> 0.999f;
          case 2 -> 1e-4f;
          default -> (float) (0.05 + 0.4 * rng.nextDouble());
        };
        p[i * STEPS + s] = v;
      }
    }
    return p;
  }

  /** Runs the graph update over STEPS with step outputs {@code y [N, STEPS, DIM]}. */
  private static Map<String, Tensor> graph(float[] p, float[] y) {
    Graph g = new Graph("act");
    Value pv = g.input("p", Shape.batched("N", STEPS));
    Value yv = g.input("y", Shape.batched("N", STEPS, DIM));
    ActState act = ActState.start(g, g.reshape(g.slice(yv, 1, 0, 1), 0, DIM));
    for (int s = 0; s < STEPS; s++) {
      Value ps = g.reshape(g.slice(pv, 1, s, s + 1), -1);
      Value ys = g.reshape(g.slice(yv, 1, s, s + 1), 0, DIM);
      act = act.step(g, ps, ys, THRESHOLD, s == STEPS - 1, null);
    }
    g.output("o", act.output());
    g.output("steps", act.updates());
    g.output("ponder", act.ponder(g));
    g.output("loss", g.mul(g.meanAll(act.ponder(g)), TAU));
    try (Session session = CPU.load(ModelWriter.of(g).toBytes())) {
      return session.run(Map.of("p", Tensor.of(p, BATCH, STEPS), "y", Tensor.of(y, BATCH, STEPS, DIM)));
    }
  }

  @Test
  void haltingWeightsSumToOneForEveryExample() {
    float[] ones = new float[BATCH * STEPS * DIM];
    java.util.Arrays.fill(ones, 1f);
    Tensor o = graph(probabilities(), ones).get("o");
    for (int i = 0; i < o.size(); i++) {
      assertThat(o.get(i)).as("Σ_s w_s of example %d", i / DIM).isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void stepsLieBetweenOneAndTheMaximumAndPonderCostIsAtLeastTau() {
    Map<String, Tensor> out = graph(probabilities(), new float[BATCH * STEPS * DIM]);
    Tensor steps = out.get("steps");
    Tensor ponder = out.get("ponder");
    for (int i = 0; i < BATCH; i++) {
      assertThat(steps.get(i)).isBetween(1.0, (double) STEPS);
      assertThat(ponder.get(i)).isGreaterThanOrEqualTo(steps.get(i)).isLessThanOrEqualTo(steps.get(i) + 1);
    }
    assertThat(steps.get(1)).as("p = 0.999 at step 1 halts at once").isEqualTo(1.0);
    assertThat(steps.get(2)).as("p = 1e-4 never reaches the threshold: forced halt at T_max").isEqualTo(STEPS);
    assertThat(out.get("loss").get(0)).isGreaterThanOrEqualTo(TAU);
  }

  @Test
  void javaServingUpdateMatchesTheGraphUpdate() {
    float[] p = probabilities();
    SplittableRandom rng = new SplittableRandom(2);
    float[] y = new float[BATCH * STEPS * DIM];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) rng.nextGaussian();
    }
    Map<String, Tensor> expected = graph(p, y);
    HaltingAccumulator acc = new HaltingAccumulator(BATCH, DIM, THRESHOLD);
    for (int s = 0; s < STEPS; s++) {
      int[] active = acc.running();
      float[] ps = new float[active.length];
      float[] ys = new float[active.length * DIM];
      for (int k = 0; k < active.length; k++) {
        ps[k] = p[active[k] * STEPS + s];
        System.arraycopy(y, (active[k] * STEPS + s) * DIM, ys, k * DIM, DIM);
      }
      acc.update(active, ps, ys, s == STEPS - 1);
    }
    assertThat(acc.running()).isEmpty();
    float[] o = acc.output();
    for (int i = 0; i < o.length; i++) {
      assertThat((double) o[i]).isCloseTo(expected.get("o").get(i), within(1e-6));
    }
    for (int i = 0; i < BATCH; i++) {
      assertThat((double) acc.updates()[i]).isEqualTo(expected.get("steps").get(i));
      assertThat((double) acc.ponder()[i]).isCloseTo(expected.get("ponder").get(i), within(1e-6));
    }
  }
}
