package dev.kiln.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatcherTest {

  private static int[] epoch(Batcher b, long epoch) {
    return IntStream.range(0, b.stepsPerEpoch())
        .flatMap(k -> Arrays.stream(b.indices(epoch * b.stepsPerEpoch() + k)))
        .toArray();
  }

  @Test
  void stepsPerEpochDropsTheLastIncompleteBatch() {
    assertThat(new Batcher(103, 10, 1).stepsPerEpoch()).isEqualTo(10);
    assertThat(new Batcher(100, 10, 1).stepsPerEpoch()).isEqualTo(10);
    assertThat(new Batcher(7, 7, 1).stepsPerEpoch()).isEqualTo(1);
  }

  @Test
  void batchesOfAnEpochAreDisjointAndDrawnFromAllExamples() {
    Batcher b = new Batcher(103, 10, 42);
    int[] seen = epoch(b, 0);
    assertThat(seen).hasSize(100).doesNotHaveDuplicates();
    assertThat(Arrays.stream(seen).boxed().toList()).allMatch(i -> i >= 0 && i < 103);
    assertThat(seen).isNotEqualTo(IntStream.range(0, 100).toArray());
    // Which 3 are dropped changes with the epoch, so every example is eventually seen.
    Set<Integer> everSeen = new HashSet<>();
    for (long e = 0; e < 20; e++) {
      Arrays.stream(epoch(b, e)).forEach(everSeen::add);
    }
    assertThat(everSeen).hasSize(103);
  }

  @Test
  void eachEpochHasItsOwnOrder() {
    Batcher b = new Batcher(64, 8, 42);
    assertThat(epoch(b, 1)).isNotEqualTo(epoch(b, 0));
    assertThat(epoch(b, 2)).isNotEqualTo(epoch(b, 1));
    assertThat(b.epoch(7)).isZero();
    assertThat(b.epoch(8)).isEqualTo(1);
  }

  @Test
  void aStepAskedColdEqualsTheSameStepAskedInSequence() {
    Batcher warm = new Batcher(50, 4, 9);
    int[] inSequence = null;
    for (long s = 0; s <= 57; s++) {
      inSequence = warm.indices(s);
    }
    assertThat(new Batcher(50, 4, 9).indices(57)).containsExactly(inSequence);
    Batcher jumping = new Batcher(50, 4, 9);
    jumping.indices(500);
    assertThat(jumping.indices(57)).containsExactly(inSequence);
    assertThat(warm.indices(57)).containsExactly(inSequence);
  }

  @Test
  void differentSeedsGiveDifferentOrders() {
    assertThat(epoch(new Batcher(64, 8, 1), 0)).isNotEqualTo(epoch(new Batcher(64, 8, 2), 0));
  }

  @Test
  void everyOrderOfThreeExamplesIsEquallyLikely() {
    // A shuffle that swaps with any position (not just those not yet fixed) favours some orders
    // 5:4 over others; Fisher–Yates gives each of the 6 orders 1/6.
    Batcher b = new Batcher(3, 3, 5);
    Map<String, Integer> counts = new HashMap<>();
    int epochs = 60_000;
    for (long e = 0; e < epochs; e++) {
      counts.merge(Arrays.toString(b.indices(e)), 1, Integer::sum);
    }
    assertThat(counts).hasSize(6);
    assertThat(counts.values()).allMatch(c -> Math.abs(c - epochs / 6) < 500);
  }

  @Test
  void rejectsArgumentsThatLeaveNoFullBatch() {
    assertThatThrownBy(() -> new Batcher(100, 128, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128").hasMessageContaining("100");
    assertThatThrownBy(() -> new Batcher(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Batcher(10, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Batcher(10, 2, 0).indices(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }
}
