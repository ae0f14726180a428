package dev.kiln.diffusion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SampleReservoirTest {

  private static double[] row(long i) {
    return new double[] {i, -i};
  }

  private static SampleReservoir filled(int capacity, long seed, long n, int batch) {
    SampleReservoir r = new SampleReservoir(capacity, seed);
    for (long off = 0; off < n; off += batch) {
      int b = (int) Math.min(batch, n - off);
      double[][] rows = new double[b][];
      for (int i = 0; i < b; i++) {
        rows[i] = row(off + i);
      }
      r.addAll(off, rows);
    }
    return r;
  }

  @Test
  void upToItsCapacityItHoldsEveryRowInOrder() {
    SampleReservoir r = filled(100, 3, 100, 7);
    assertThat(r.size()).isEqualTo(100);
    double[][] rows = r.rows();
    for (int i = 0; i < 100; i++) {
      assertThat(rows[i]).containsExactly(i, -i);
    }
  }

  @Test
  void theRowsKeptDependOnTheSeedAndIndicesNotOnTheBatches() {
    long[] a = filled(50, 3, 5000, 1).indices();
    long[] b = filled(50, 3, 5000, 4096).indices();
    SampleReservoir reversed = new SampleReservoir(50, 3);
    for (long i = 4999; i >= 0; i--) {
      reversed.add(i, row(i));
    }
    assertThat(a).hasSize(50).isEqualTo(b).isEqualTo(reversed.indices());
    assertThat(filled(50, 4, 5000, 1).indices()).isNotEqualTo(a);
    assertThat(filled(50, 3, 5000, 13).rows()[0]).containsExactly(a[0], -a[0]);
  }

  @Test
  void aLongStreamKeepsOnlyItsCapacityAndSamplesItUniformly() {
    int capacity = 2000;
    long n = 1_000_000;
    SampleReservoir r = filled(capacity, 11, n, 4096);
    assertThat(r.seen()).isEqualTo(n);
    assertThat(r.size()).isEqualTo(capacity);
    long[] kept = r.indices();
    // a uniform sample of 2000 indices of [0, n): mean n/2 with standard error n/sqrt(12 * 2000), about 0.0065 n
    double mean = Arrays.stream(kept).average().orElseThrow();
    assertThat(mean / n).isCloseTo(0.5, within(0.026));
    long firstHalf = Arrays.stream(kept).filter(i -> i < n / 2).count();
    assertThat(firstHalf).isBetween(900L, 1100L);
  }

  @Test
  void aReservoirOfNoRowsIsRefused() {
    assertThatThrownBy(() -> new SampleReservoir(0, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1, got 0");
  }
}
