package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What step-level batching rests on: ONNX Runtime's CPU kernels give a row of the MNIST UNet the same
 * bits whatever batch it sits in, so a request served in a batch is bit-identical to it served alone.
 */
class RowIndependenceTest {

  @Test
  void aRowGivesTheSameBitsAloneAndInAnyBatch() throws Exception {
    try (ServedModel m = ServedModel.open("mnist-unet", Zoo.ROOT.resolve("mnist-unet/model.onnx"), Zoo.backend())) {
      SplittableRandom rng = new SplittableRandom(3);
      int n = 13;
      List<Tensor> xs = new ArrayList<>();
      float[] all = new float[n * 784];
      for (int i = 0; i < all.length; i++) {
        all[i] = (float) rng.nextGaussian();
      }
      long[] labels = new long[n];
      float[] ts = new float[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i % 11;
        ts[i] = 37 * i + 0.5f;
      }
      Tensor x = Tensor.of(all, n, 1, 28, 28);
      Map<String, Tensor> batch = m.session().run(Map.of("x", x, "t", Tensor.of(ts, n), "label",
          Tensor.ofLongs(labels, n)));
      for (int i = 0; i < n; i++) {
        Map<String, Tensor> alone = m.session().run(Map.of("x", Rows.slice(x, i, 1), "t", Tensor.of(new float[] {ts[i]},
            1), "label", Tensor.ofLongs(new long[] {labels[i]}, 1)));
        xs.add(alone.get("out"));
        assertThat(alone.get("out").contentEquals(Rows.slice(batch.get("out"), i, 1))).as("row " + i).isTrue();
      }
      assertThat(Rows.concat(xs).contentEquals(batch.get("out"))).isTrue();
      assertThat(batch.get("out").dtype()).isEqualTo(DType.FLOAT);
    }
  }
}
