package dev.kiln.spi;

import dev.kiln.runtime.Tensor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * What the caller of a {@link FolderModel#generate generation} hands it: whether the request is still
 * wanted, and the model calls of its sampler loops as the caller runs them. A server runs a loop's
 * per-step calls merged with the same calls of concurrent requests to the same model (their rows joined
 * along the first axis, one ONNX Runtime run per step for all of them) and reports each call as
 * progress; {@link #alone()} runs every call as it is.
 */
public interface GenerationControl {

  /** A model call: named inputs, rows along the first axis, to the named outputs (a session's run). */
  @FunctionalInterface
  interface ModelCall {
    Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs);
  }

  /**
   * One sampler loop's calls of one model. {@link #run} throws {@link CancellationException} once the
   * request is no longer wanted; {@link #close} ends the loop, so that merged steps stop waiting for it.
   */
  interface StepCalls extends AutoCloseable {

    /** Runs one step's call, possibly merged with other requests' calls. */
    Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs);

    @Override
    void close();
  }

  /** Whether the request is still wanted: its client still connected and within its deadline. */
  boolean wanted();

  /**
   * Starts a loop of calls of the model {@code call} names (for example {@code "denoiser"}). Rows must
   * not depend on each other, since a call may run inside a larger batch.
   *
   * @param direct how the model runs the call itself
   * @param total the calls the loop will make, for progress
   */
  StepCalls steps(String call, ModelCall direct, int total);

  /** Throws {@link CancellationException} when the request is no longer wanted. */
  default void check() {
    if (!wanted()) {
      throw new CancellationException("the request is no longer wanted");
    }
  }

  /** Every call run as it is, always wanted: a generation with nobody else to share with. */
  static GenerationControl alone() {
    return new GenerationControl() {
      @Override
      public boolean wanted() {
        return true;
      }

      @Override
      public StepCalls steps(String call, ModelCall direct, int total) {
        return new StepCalls() {
          @Override
          public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
            return direct.run(inputs, outputs);
          }

          @Override
          public void close() {
            // nothing joined
          }
        };
      }
    };
  }
}
