package dev.kiln.diffusion.fields;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.process.ScheduleConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training feeds of the field task: context and queries are cut from one noisy field, so a
 * coordinate drawn into both sets carries the same noisy value (as at sampling time, where the
 * context is read from the queries), and each query's target is the noise its value was made with.
 */
class FieldTaskFillTest {

  @Test
  void contextAndQueriesShareTheFieldsNoiseAndTheTargetsAreThatNoise() {
    int n = 4;
    int k = 300;
    FieldTask task = new FieldTask(new FieldTaskConfig("mnist", null, n, k, k, ScheduleConfig.defaults()));
    Map<String, Tensor> feeds = new HashMap<>();
    feeds.put("x", Tensor.zeros(DType.FLOAT, n, k, 1));
    feeds.put("target", Tensor.zeros(DType.FLOAT, n, k, 1));
    feeds.put("coords", Tensor.zeros(DType.FLOAT, n, k, 2));
    feeds.put("context", Tensor.zeros(DType.FLOAT, n, k, 1));
    feeds.put("context_coords", Tensor.zeros(DType.FLOAT, n, k, 2));
    feeds.put("t", Tensor.zeros(DType.INT64, n));
    task.fill(7, 3, feeds);

    double[] y0 = new double[n * task.data().pairs()];
    task.data().sample(7, 3, n, y0);
    double[] grid = task.data().coords();
    int shared = 0;
    for (int i = 0; i < n; i++) {
      double ab = task.noiseSchedule().alphaCumprod((int) feeds.get("t").get(i));
      Map<String, Double> context = new HashMap<>();
      for (int j = 0; j < k; j++) {
        context.put(key(feeds.get("context_coords"), i * k + j), feeds.get("context").get(i * k + j));
      }
      for (int j = 0; j < k; j++) {
        int row = i * k + j;
        String at = key(feeds.get("coords"), row);
        double y = y0[i * task.data().pairs() + pair(grid, feeds.get("coords"), row)];
        double expected = Math.sqrt(ab) * y + Math.sqrt(1 - ab) * feeds.get("target").get(row);
        assertThat(feeds.get("x").get(row)).as("query %d of field %d is a·y0 + s·target", j, i)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        if (context.containsKey(at)) {
          shared++;
          assertThat(feeds.get("x").get(row)).as("coordinate %s in both sets of field %d", at, i)
              .isEqualTo(context.get(at));
        }
      }
    }
    // 300 of 784 pairs in each set: about 115 coordinates per field fall in both
    assertThat(shared).as("coordinates drawn into both sets").isGreaterThan(n * 60);
  }

  private static String key(Tensor coords, int row) {
    return coords.getFloat(2 * row) + "," + coords.getFloat(2 * row + 1);
  }

  private static int pair(double[] grid, Tensor coords, int row) {
    for (int p = 0; p < grid.length / 2; p++) {
      if ((float) grid[2 * p] == coords.getFloat(2 * row) && (float) grid[2 * p + 1] == coords.getFloat(2 * row + 1)) {
        return p;
      }
    }
    throw new AssertionError("query coordinate not on the grid");
  }
}
