package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.DeType;
import dev.kiln.spi.process.Bridge;
import dev.kiln.spi.process.AgmProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AgmProcessTest {

  private static final AgmProcess ODE = AgmProcess.defaults();
  private static final AgmProcess SDE = ODE.withDeType(DeType.SDE);

  @Test
  void tabulatedLyapunovSolutionMatchesTheClosedForm() {
    LyapunovTable table = new LyapunovTable(ODE, 0.999, 20_000);
    double worst = 0;
    for (int i = 0; i < table.size(); i += 97) {
      double[] tab = table.covariance(i);
      AgmProcess.Covariance c = ODE.covariance(table.time(i));
      double scale = Math.abs(c.xx()) + Math.abs(c.xv()) + Math.abs(c.vv());
      worst = Math.max(worst, (Math.abs(tab[0] - c.xx()) + Math.abs(tab[1] - c.xv()) + Math.abs(tab[2] - c.vv()))
          / scale);
    }
    assertThat(worst).as("largest relative |table − closed form| over t in [0, 0.999]").isLessThan(1e-9);
  }

  @Test
  void closedFormFollowsOtherPriorsAndNoiseScales() {
    AgmProcess other = new AgmProcess(1.5, -0.4, 0.5, 2.0, null);
    LyapunovTable table = new LyapunovTable(other, 0.99, 10_000);
    int last = table.size() - 1;
    double[] tab = table.covariance(last);
    AgmProcess.Covariance c = other.covariance(table.time(last));
    assertThat(tab[0]).isCloseTo(c.xx(), offset(1e-10));
    assertThat(tab[1]).isCloseTo(c.xv(), offset(1e-10));
    assertThat(tab[2]).isCloseTo(c.vv(), offset(1e-10));
  }

  @Test
  void priorCovarianceHasTheNegativeXvTerm() {
    AgmProcess.Covariance c = ODE.covariance(0);
    assertThat(c.xx()).isEqualTo(1.0);
    assertThat(c.xv()).isCloseTo(-0.2, offset(1e-15));
    assertThat(c.vv()).isEqualTo(1.0);
  }

  @Test
  void meanReachesTheDataAndPositionNoiseVanishesAtTheEnd() {
    assertThat(AgmProcess.meanX(1)).as("μ_x(1)/x₁").isEqualTo(1.0);
    assertThat(AgmProcess.meanX(0)).isZero();
    assertThat(AgmProcess.meanV(0)).isZero();
    assertThat(ODE.covariance(1).xx()).as("Σ_xx(1)").isCloseTo(0, offset(1e-15));
    assertThat(ODE.covariance(1).xv()).as("Σ_xv(1)").isCloseTo(0, offset(1e-15));
  }

  @Test
  void meanSolvesTheControlledDynamics() {
    // dμ/dt = Aμ + (0, 4x₁/u²) by RK4 from μ = 0, against the closed forms (x₁ = 1)
    int steps = 200_000;
    double tEnd = 0.99;
    double h = tEnd / steps;
    double[] mu = {0, 0};
    for (int i = 0; i < steps; i++) {
      double t = i * h;
      double[] k1 = meanRate(t, mu);
      double[] k2 = meanRate(t + h / 2, new double[] {mu[0] + h / 2 * k1[0], mu[1] + h / 2 * k1[1]});
      double[] k3 = meanRate(t + h / 2, new double[] {mu[0] + h / 2 * k2[0], mu[1] + h / 2 * k2[1]});
      double[] k4 = meanRate(t + h, new double[] {mu[0] + h * k3[0], mu[1] + h * k3[1]});
      mu[0] += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
      mu[1] += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
    }
    assertThat(mu[0]).isCloseTo(AgmProcess.meanX(tEnd), offset(1e-9));
    assertThat(mu[1]).isCloseTo(AgmProcess.meanV(tEnd), offset(1e-9));
  }

  private static double[] meanRate(double t, double[] mu) {
    double u = 1 - t;
    return new double[] {mu[1], -4 * mu[0] / (u * u) - 4 * mu[1] / u + 4 / (u * u)};
  }

  @Test
  void sdeLabelIsTheBridgeControl() {
    SplittableRandom rng = new SplittableRandom(1);
    for (double t : new double[] {0, 0.2, 0.5, 0.8, 0.99}) {
      Bridge b = SDE.at(t);
      double x1 = rng.nextGaussian();
      double ex = rng.nextGaussian();
      double ev = rng.nextGaussian();
      double x = b.position(x1, ex);
      double v = b.velocity(x1, ex, ev);
      double u = 1 - t;
      double control = 4 / u * ((x1 - x) / u - v);
      assertThat(b.label(x1, ex, ev)).as("F at t=%s", t).isCloseTo(control, offset(1e-9 * (1 + Math.abs(control))));
    }
  }

  @Test
  void probabilityFlowLabelSubtractsHalfTheVelocityScore() {
    double t = 0.6;
    Bridge ode = ODE.at(t);
    Bridge sde = SDE.at(t);
    double x1 = 0.7;
    double ex = -0.3;
    double ev = 1.1;
    // ∇_v log N(m; μ, Σ) = −[Σ⁻¹(m − μ)]_v
    AgmProcess.Covariance c = ODE.covariance(t);
    double dx = ode.position(x1, ex) - AgmProcess.meanX(t) * x1;
    double dv = ode.velocity(x1, ex, ev) - AgmProcess.meanV(t) * x1;
    double det = c.xx() * c.vv() - c.xv() * c.xv();
    double score = -(-c.xv() * dx + c.xx() * dv) / det;
    double g = ODE.diffusion(t);
    assertThat(ode.ell() * ev).as("ℓ·ε_v is the velocity score").isCloseTo(score, offset(1e-12));
    assertThat(ode.label(x1, ex, ev) - sde.label(x1, ex, ev)).isCloseTo(-0.5 * g * g * score, offset(1e-12));
  }

  @Test
  void earlyPredictionFromTheTrueLabelReturnsX1() {
    SplittableRandom rng = new SplittableRandom(2);
    for (AgmProcess process : new AgmProcess[] {ODE, SDE}) {
      for (double t : new double[] {1e-5, 0.1, 0.4, 0.7, 0.9, 0.99, 0.999}) {
        Bridge b = process.at(t);
        for (int k = 0; k < 20; k++) {
          double x1 = 2 * rng.nextGaussian();
          double ex = rng.nextGaussian();
          double ev = rng.nextGaussian();
          double est = b.estimateX1(b.label(x1, ex, ev), b.position(x1, ex), b.velocity(x1, ex, ev));
          assertThat(est).as("%s x̂₁ at t=%s", process.deType(), t).isCloseTo(x1, offset(1e-9));
        }
      }
    }
  }

  @Test
  void normaliserIsTheLabelScaleOfTheOfficialCode() {
    double t = 0.3;
    Bridge b = ODE.at(t);
    double u = 1 - t;
    double bigP = 4 / u;
    double g = ODE.diffusion(t);
    double expected = Math.sqrt(Math.pow(bigP * (b.lxx() / u + b.lxv()), 2)
        + Math.pow(bigP * b.lvv() - 0.5 * g * g * b.ell(), 2)) / u;
    assertThat(b.normalizer()).isCloseTo(expected, offset(1e-12));
    assertThat(SDE.at(t).normalizer()).isCloseTo(Math.sqrt(Math.pow(bigP * (b.lxx() / u + b.lxv()), 2)
        + Math.pow(bigP * b.lvv(), 2)) / u, offset(1e-12));
  }

  @Test
  void rejectsTimesOutsideTheBridge() {
    assertThatThrownBy(() -> ODE.at(1)).hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> new AgmProcess(null, 1.5, null, null, null)).hasMessageContaining("`k`");
  }
}
