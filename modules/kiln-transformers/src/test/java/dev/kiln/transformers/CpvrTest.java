package dev.kiln.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.ConfigException;
import dev.kiln.transformers.tasks.Cpvr;
import dev.kiln.transformers.tasks.CpvrTask;
import dev.kiln.transformers.tasks.CpvrTaskConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CpvrTest {

  @Test
  void sampledExamplesHaveExactlyTheChosenHopCountForEveryCount() {
    for (int length : new int[] {2, 5, 12, 20}) {
      Cpvr cpvr = new Cpvr(length);
      SplittableRandom rng = new SplittableRandom(length);
      for (int hops = 1; hops <= length - 1; hops++) {
        for (int trial = 0; trial < 200; trial++) {
          Cpvr.Example e = cpvr.sample(hops, rng);
          assertThat(Cpvr.hops(e.tokens())).as("L=%d %s", length, e).isEqualTo(hops);
          assertThat(e.hops()).isEqualTo(hops);
        }
      }
    }
  }

  @Test
  void labelIsTheValueWhereTheChainStopsAndNoLargerThanThatPosition() {
    Cpvr cpvr = new Cpvr(12);
    SplittableRandom rng = new SplittableRandom(3);
    for (int hops = 1; hops <= 11; hops++) {
      for (int trial = 0; trial < 200; trial++) {
        Cpvr.Example e = cpvr.sample(hops, rng);
        int stop = Cpvr.stop(e.tokens());
        assertThat(e.label()).as("%s", e).isEqualTo(e.tokens()[stop]).isEqualTo(Cpvr.label(e.tokens()))
            .isBetween(0, stop);
        assertThat(java.util.Arrays.stream(e.tokens()).allMatch(v -> v >= 0 && v < 12)).isTrue();
      }
    }
  }

  @Test
  void spreadChainsKeepTheExactHopCountAndLabel() {
    Cpvr cpvr = new Cpvr(24, true);
    SplittableRandom rng = new SplittableRandom(9);
    for (int hops = 1; hops <= 23; hops++) {
      for (int trial = 0; trial < 200; trial++) {
        Cpvr.Example e = cpvr.sample(hops, rng);
        assertThat(Cpvr.hops(e.tokens())).as("%s", e).isEqualTo(hops);
        assertThat(Cpvr.label(e.tokens())).isEqualTo(e.label());
      }
    }
  }

  @Test
  void spreadingTheChainEndPutsTheNoPointerShortcutNearChance() {
    SplittableRandom rng = new SplittableRandom(10);
    int examples = 4000;
    int plain = 0;
    int spread = 0;
    for (int i = 0; i < examples; i++) {
      Cpvr.Example a = new Cpvr(24).sample(12, rng);
      Cpvr.Example b = new Cpvr(24, true).sample(12, rng);
      plain += Cpvr.lastNonForwardValue(a.tokens()) == a.label() ? 1 : 0;
      spread += Cpvr.lastNonForwardValue(b.tokens()) == b.label() ? 1 : 0;
    }
    // Plain: the chain ends at L − 1 with probability 12/23. Spread: about (1/12)·(12/23) + chance 1/24.
    assertThat(plain / (double) examples).isBetween(0.48, 0.60);
    assertThat(spread / (double) examples).isLessThan(0.12);
  }

  @Test
  void maximalHopCountVisitsEveryPosition() {
    Cpvr.Example e = new Cpvr(6).sample(5, new SplittableRandom(1));
    assertThat(e.tokens()).startsWith(1, 2, 3, 4, 5);
  }

  @Test
  void shortcutWithoutPointerFollowingIsExactWhenTheChainVisitsEveryPosition() {
    Cpvr cpvr = new Cpvr(12);
    SplittableRandom rng = new SplittableRandom(4);
    int right = 0;
    for (int i = 0; i < 200; i++) {
      Cpvr.Example full = cpvr.sample(11, rng);
      assertThat(Cpvr.lastNonForwardValue(full.tokens())).isEqualTo(full.label());
      Cpvr.Example one = cpvr.sample(1, rng);
      right += Cpvr.lastNonForwardValue(one.tokens()) == one.label() ? 1 : 0;
    }
    assertThat(right).as("one hop: the shortcut is mostly wrong").isLessThan(100);
  }

  @Test
  void onlyPossibleHopCountsAreAccepted() {
    Cpvr cpvr = new Cpvr(12);
    assertThatThrownBy(() -> cpvr.sample(0, new SplittableRandom(1))).hasMessageContaining("[1, 11]");
    assertThatThrownBy(() -> cpvr.sample(12, new SplittableRandom(1))).hasMessageContaining("[1, 11]");
  }

  @Test
  void labelsAreSpreadOverManyClasses() {
    Cpvr cpvr = new Cpvr(12);
    SplittableRandom rng = new SplittableRandom(9);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      counts.merge(cpvr.sample(1 + i % 3, rng).label(), 1, Integer::sum);
    }
    // Labels are at most the last pointer; with 1..3 hops that is any of 0..11.
    assertThat(counts.keySet()).hasSize(12);
  }

  @Test
  void trainingBatchesDependOnlyOnSeedAndStepAndUseTrainHopCounts() {
    CpvrTask task = new CpvrTask(config("{\"length\": 12, \"train_hops\": [2, 4], \"batch_size\": 16}"));
    Map<String, Tensor> a = feeds(16);
    Map<String, Tensor> b = feeds(16);
    task.fill(7, 3, a);
    task.fill(7, 3, b);
    assertThat(a.get("tokens").contentEquals(b.get("tokens"))).isTrue();
    task.fill(7, 4, b);
    assertThat(a.get("tokens").contentEquals(b.get("tokens"))).isFalse();
    long[] t = a.get("tokens").toLongArray();
    for (int i = 0; i < 16; i++) {
      int[] x = new int[12];
      for (int j = 0; j < 12; j++) {
        x[j] = (int) t[i * 12 + j];
      }
      assertThat(Cpvr.hops(x)).isIn(2, 4);
      assertThat(a.get("label").getLong(i)).isEqualTo(Cpvr.label(x));
    }
  }

  @Test
  void testSetsAreTheSameWhateverTheTrainingSeed() {
    CpvrTask task = new CpvrTask(config("{\"test_examples\": 20}"));
    assertThat(task.testSet(5)).isEqualTo(task.testSet(5)).allMatch(e -> e.hops() == 5).hasSize(20);
    assertThat(task.testSet(5)).isNotEqualTo(task.testSet(4));
  }

  @Test
  void hopCountsBeyondTheSequenceAreRejectedByName() {
    assertThatThrownBy(() -> config("{\"length\": 6, \"test_hops\": [1, 6]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("test_hops").hasMessageContaining("[1, 5]");
    assertThatThrownBy(() -> config("{\"train_hops\": []}")).hasMessageContaining("train_hops");
    assertThat(config("{}").testHops()).isEqualTo(List.of(1, 2, 3, 4, 5, 6));
  }

  private static CpvrTaskConfig config(String json) {
    try {
      return Configs.read(Configs.mapper().readTree(json), CpvrTaskConfig.class, "cpvr");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Tensor> feeds(int n) {
    return Map.of("tokens", Tensor.zeros(DType.INT64, n, 12), "label", Tensor.zeros(DType.INT64, n));
  }
}
