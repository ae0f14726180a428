package dev.kiln.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AxisTest {

  private static List<String> labels(Axis axis) {
    return axis.ticks().stream().map(Axis.Tick::label).toList();
  }

  @Test
  void linearTicksAreOneTwoFiveMultiplesWithOneDecimalCount() {
    assertThat(labels(new Axis(0, 1, false))).containsExactly("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
    assertThat(labels(new Axis(-3, 97, false))).containsExactly("0", "20", "40", "60", "80");
    assertThat(labels(new Axis(0.0013, 0.0061, false))).containsExactly("0.002", "0.003", "0.004", "0.005", "0.006");
    assertThat(labels(new Axis(-0.5, 0.5, false))).containsExactly("-0.4", "-0.2", "0.0", "0.2", "0.4");
  }

  @Test
  void largeAndTinyLinearValuesUseExponents() {
    assertThat(labels(new Axis(0, 4e6, false))).containsExactly("0", "1e6", "2e6", "3e6", "4e6");
    assertThat(labels(new Axis(1e-5, 3e-5, false))).contains("1e-5", "1.5e-5", "2e-5", "3e-5");
  }

  @Test
  void logTicksAreDecadesWithTwoAndFiveWhenTheRangeIsShort() {
    assertThat(labels(new Axis(1, 1000, true))).containsExactly("1", "10", "100", "1000");
    assertThat(labels(new Axis(2.5, 60, true))).containsExactly("5", "10", "20", "50");
    assertThat(labels(new Axis(1e-7, 1e-3, true))).containsExactly("1e-7", "1e-6", "1e-5", "1e-4", "0.001");
  }

  @Test
  void manyDecadesAreThinnedToAboutEight() {
    assertThat(new Axis(1e-20, 1e20, true).ticks()).hasSizeBetween(5, 11);
  }

  @Test
  void fractionIsLinearOrLogarithmic() {
    assertThat(new Axis(0, 10, false).fraction(2.5)).isCloseTo(0.25, within(1e-15));
    assertThat(new Axis(1, 1000, true).fraction(10)).isCloseTo(1 / 3.0, within(1e-15));
  }

  @Test
  void coveringAddsFivePercentMarginAndWidensASingleValue() {
    Axis a = Axis.covering(0, 10, false);
    assertThat(a.min()).isCloseTo(-0.5, within(1e-12));
    assertThat(a.max()).isCloseTo(10.5, within(1e-12));
    Axis single = Axis.covering(3, 3, false);
    assertThat(single.min()).isLessThan(3);
    assertThat(single.max()).isGreaterThan(3);
    Axis log = Axis.covering(5, 5, true);
    assertThat(log.min()).isLessThan(5).isPositive();
  }
}
