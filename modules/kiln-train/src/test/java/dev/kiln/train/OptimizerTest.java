package dev.kiln.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Tensor;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Each optimizer against the update rule written out in double precision. */
class OptimizerTest {

  private static final float[] P0 = {0.5f, -1.0f, 2.0f, 0.25f};
  private static final float[][] GRADS = {{0.1f, -0.2f, 0.3f, 0.0f}, {-0.4f, 0.1f, 0.2f, 0.5f},
      {0.05f, 0.05f, -0.3f, 0.2f}};

  private static float[] run(OptimizerConfig cfg, boolean decay) {
    Tensor p = Tensor.of(P0.clone(), 4);
    Tensor g = Tensor.zeros(dev.kiln.graph.DType.FLOAT, 4);
    Optimizer opt = Optimizer.create(cfg, List.of(new Optimizer.Slot("w", p, g, decay)));
    for (int t = 1; t <= GRADS.length; t++) {
      g.floats().put(GRADS[t - 1]);
      opt.step(0.1, t);
    }
    return p.toFloatArray();
  }

  private static void assertClose(float[] got, double[] want) {
    for (int i = 0; i < want.length; i++) {
      assertThat((double) got[i]).as("w[%d]", i).isCloseTo(want[i], Offset.offset(2e-6));
    }
  }

  @Test
  void adamWithL2MatchesReference() {
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double wd = 0.05;
    double[] p = toDouble(P0);
    double[] m = new double[4];
    double[] v = new double[4];
    for (int t = 1; t <= GRADS.length; t++) {
      for (int i = 0; i < 4; i++) {
        double gi = GRADS[t - 1][i] + wd * p[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        double mh = m[i] / (1 - Math.pow(b1, t));
        double vh = v[i] / (1 - Math.pow(b2, t));
        p[i] -= lr * mh / (Math.sqrt(vh) + eps);
      }
    }
    assertClose(run(new OptimizerConfig("adam", 0.1, null, null, null, wd, null, null, null), true), p);
  }

  @Test
  void adamwDecaysWeightsDecoupledAndRespectsTheMask() {
    double lr = 0.1;
    double wd = 0.1;
    double[] p = toDouble(P0);
    double[] m = new double[4];
    double[] v = new double[4];
    for (int t = 1; t <= GRADS.length; t++) {
      for (int i = 0; i < 4; i++) {
        double gi = GRADS[t - 1][i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        p[i] = p[i] * (1 - lr * wd)
            - lr * (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
      }
    }
    assertClose(run(OptimizerConfig.adamw(0.1, wd), true), p);
    float[] noDecay = run(OptimizerConfig.adamw(0.1, wd), false);
    float[] plainAdam = run(OptimizerConfig.adam(0.1), true);
    assertThat(noDecay).containsExactly(plainAdam);
  }

  @Test
  void sgdWithNesterovMomentumMatchesReference() {
    double mu = 0.9;
    double[] p = toDouble(P0);
    double[] buf = new double[4];
    for (int t = 1; t <= GRADS.length; t++) {
      for (int i = 0; i < 4; i++) {
        double gi = GRADS[t - 1][i];
        buf[i] = mu * buf[i] + gi;
        p[i] -= 0.1 * (gi + mu * buf[i]);
      }
    }
    assertClose(run(OptimizerConfig.sgd(0.1, mu, true), true), p);
  }

  @Test
  void lambScalesTheUpdateByTheTrustRatio() {
    double wd = 0.01;
    double[] p = toDouble(P0);
    double[] m = new double[4];
    double[] v = new double[4];
    for (int t = 1; t <= GRADS.length; t++) {
      double[] u = new double[4];
      double wn = 0;
      double un = 0;
      for (int i = 0; i < 4; i++) {
        double gi = GRADS[t - 1][i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        u[i] = (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-6) + wd * p[i];
        wn += p[i] * p[i];
        un += u[i] * u[i];
      }
      double trust = Math.sqrt(wn) / Math.sqrt(un);
      for (int i = 0; i < 4; i++) {
        p[i] -= 0.1 * trust * u[i];
      }
    }
    assertClose(run(OptimizerConfig.lamb(0.1, wd), true), p);
  }

  @Test
  void badConfigNamesTheField() {
    assertThatThrownBy(() -> new OptimizerConfig("adam", -1.0, null, null, null, null, null, null, null))
        .hasMessageContaining("`lr`");
    assertThatThrownBy(() -> new OptimizerConfig("rmsprop", null, null, null, null, null, null, null, null))
        .hasMessageContaining("`type`").hasMessageContaining("rmsprop");
  }

  @Test
  void scheduleWarmsUpThenFollowsTheCosine() {
    LrSchedule s = LrSchedule.cosine(10, 0.1);
    assertThat(s.factor(5, 110)).isEqualTo(0.5);
    assertThat(s.factor(10, 110)).isEqualTo(1.0);
    assertThat(s.factor(60, 110)).isCloseTo(0.55, Offset.offset(1e-12));
    assertThat(s.factor(110, 110)).isCloseTo(0.1, Offset.offset(1e-12));
    assertThat(LrSchedule.constant().factor(3, 10)).isEqualTo(1.0);
  }

  @Test
  void clippingBoundsTheGlobalNorm() {
    Tensor a = Tensor.of(new float[] {3, 0}, 2);
    Tensor b = Tensor.of(new float[] {0, 4}, 2);
    double before = GradientClipping.clip(List.of(a, b), 1.0);
    assertThat(before).isEqualTo(5.0);
    assertThat(GradientClipping.globalNorm(List.of(a, b))).isCloseTo(1.0, Offset.offset(1e-6));
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
