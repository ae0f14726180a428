package dev.kiln.vision;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The model-zoo digit classifier ({@code model-zoo/digit-classifier}, 97.5 % on the held-out digits),
 * shipped inside this jar. Its 256-wide penultimate features are what Kiln's Fréchet distances on
 * digits compare, and its predictions score class-conditional samples.
 */
public final class DigitClassifier implements AutoCloseable {

  private static final String RESOURCE = "zoo/model.onnx";
  private final Session session;

  private DigitClassifier(Session session) {
    this.session = session;
  }

  /** Loads the shipped classifier into a session of {@code backend}. */
  public static DigitClassifier load(OrtBackend backend) {
    try (InputStream in = DigitClassifier.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the digit classifier is missing from the kiln-vision jar (" + RESOURCE
            + "); build model-zoo/digit-classifier/model.onnx with `kiln train` and `kiln export`");
      }
      return new DigitClassifier(backend.load(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Outputs for images {@code [N, 1, 28, 28]} or {@code [N, 784]} in [-1, 1]: logits and features. */
  public Map<String, Tensor> run(Tensor images) {
    Tensor flat = images.reshape(images.dim(0), 784);
    return session.run(Map.of("x", flat));
  }

  /** Penultimate-layer features {@code [N, 256]}. */
  public Tensor features(Tensor images) {
    return run(images).get("features");
  }

  /** Predicted classes. */
  public long[] predict(Tensor images) {
    Tensor logits = run(images).get("logits");
    int n = (int) logits.dim(0);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int k = 1; k < 10; k++) {
        if (logits.getFloat(i * 10 + k) > logits.getFloat(i * 10 + best)) {
          best = k;
        }
      }
      out[i] = best;
    }
    return out;
  }

  @Override
  public void close() {
    session.close();
  }
}
