package dev.kiln.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.data.MnistDigits;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The classifier shipped in the jar is the trained zoo model, not an untrained one. */
class ShippedClassifierTest {

  @Test
  void shippedClassifierRecognisesHeldOutDigits() {
    MnistDigits.Split test = MnistDigits.load().test();
    int[] idx = IntStream.range(0, test.size()).toArray();
    try (DigitClassifier c = DigitClassifier.load(new OrtBackend(BackendOptions.cpu(2)))) {
      Tensor images = test.images(idx, MnistDigits.Scale.SYMMETRIC);
      long[] predicted = c.predict(images);
      long correct = IntStream.range(0, idx.length).filter(i -> predicted[i] == test.label(i)).count();
      assertThat((double) correct / idx.length).isGreaterThan(0.97);
      assertThat(c.features(images).shape()).containsExactly(test.size(), 256);
    }
  }
}
