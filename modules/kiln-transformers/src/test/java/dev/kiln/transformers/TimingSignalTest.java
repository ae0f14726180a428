package dev.kiln.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.inference.ForwardSession;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.transformers.model.TimingSignal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Universal Transformer's position and step signals against tensor2tensor's formula. */
class TimingSignalTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));
  private static final int TOKENS = 6;
  private static final int DIM = 10;

  /** tensor2tensor's get_timing_signal_1d at position a, channel c, written out independently. */
  private static double formula(double a, int c) {
    int k = DIM / 2;
    double inc = Math.log(1.0e4) / (k - 1);
    int i = c % k;
    double scaled = a * Math.exp(-i * inc);
    return c < k ? Math.sin(scaled) : Math.cos(scaled);
  }

  private static Tensor signalAtStep(int step) {
    Graph g = new Graph("timing");
    Value h = g.input("h", Shape.batched("N", TOKENS, DIM));
    TimingSignal ts = new TimingSignal(TOKENS, DIM);
    g.output("x", ts.add(g, h, ts.position(g), TimingSignal.stepIndex(g, h, step)));
    try (ForwardSession s = ForwardSession.compile(g, CPU, Weights.initialize(g, 0), "x")) {
      return s.run(Map.of("h", Tensor.of(new float[2 * TOKENS * DIM], 2, TOKENS, DIM))).get("x");
    }
  }

  @Test
  void positionAndStepSignalsAreTheSinusoidsOfTensor2tensor() {
    for (int step : new int[] {1, 4, 17}) {
      Tensor x = signalAtStep(step);
      for (int n = 0; n < 2; n++) {
        for (int t = 0; t < TOKENS; t++) {
          for (int c = 0; c < DIM; c++) {
            double expected = formula(t, c) + formula(step - 1, c);
            assertThat(x.get((n * TOKENS + t) * DIM + c)).as("step %d, token %d, channel %d", step, t, c)
                .isCloseTo(expected, within(1e-5));
          }
        }
      }
    }
  }

  @Test
  void theFirstStepAddsOnlyThePositionSignalAndLaterStepsDiffer() {
    Tensor first = signalAtStep(1);
    Tensor second = signalAtStep(2);
    // TS(0) is sin 0 = 0 on the first half and cos 0 = 1 on the second.
    assertThat(first.get(DIM - 1)).isCloseTo(formula(0, DIM - 1) + 1, within(1e-6));
    assertThat(second.get(0)).isCloseTo(Math.sin(1.0), within(1e-6));
    assertThat(second.get(0)).isNotCloseTo(first.get(0), within(0.1));
  }

  @Test
  void anOddWidthIsRejectedWithTheFieldNamed() {
    assertThatThrownBy(() -> new TimingSignal(TOKENS, 7)).hasMessageContaining("`dim` 7");
  }
}
