package dev.kiln.serve;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.GenerationControl;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * One sampler loop's model calls as the server runs them, for a diffusion model's {@code generate} and
 * a folder model's loops alike: before each call the loop stops ({@link Cancelled}, 499) when its client
 * has gone and (504) when its request has run past the deadline; the call then runs on the model's step
 * batcher, merged with other loops' calls of the same round (the loop joins the rounds when it starts
 * and leaves them at {@link #close}), or directly when step-level batching is off; each finished call
 * is reported as progress.
 */
final class StepLoop implements GenerationControl.StepCalls {

  private final Batcher batcher;
  private final GenerationControl.ModelCall direct;
  private final BooleanSupplier wanted;
  private final long deadlineNanos;
  private final int total;
  private final Generation.Progress progress;
  private int done;
  private boolean left;

  /**
   * @param batcher the step batcher, or null to run every call directly
   * @param total the calls the loop will make, for progress
   */
  StepLoop(Batcher batcher, GenerationControl.ModelCall direct, BooleanSupplier wanted, long deadlineNanos,
      int total, Generation.Progress progress) {
    this.batcher = batcher;
    this.direct = direct;
    this.wanted = wanted;
    this.deadlineNanos = deadlineNanos;
    this.total = total;
    this.progress = progress;
    if (batcher != null) {
      batcher.join();
    }
  }

  /** What a client that went away would be told (status 499), had it stayed to listen. */
  static final String CLIENT_GONE = "the request was dropped: its client went away";

  /** Throws {@link Cancelled} when the client is gone or the deadline has passed. */
  static void check(BooleanSupplier wanted, long deadlineNanos) {
    if (!wanted.getAsBoolean()) {
      throw new Cancelled(499, CLIENT_GONE);
    }
    if (System.nanoTime() > deadlineNanos) {
      throw new Cancelled(504, "the request ran past the server's timeout");
    }
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
    check(wanted, deadlineNanos);
    Map<String, Tensor> out = batcher == null ? direct.run(inputs, outputs)
        : batcher.submit(inputs, outputs, wanted).join();
    progress.step(++done, total);
    return out;
  }

  @Override
  public void close() {
    if (batcher != null && !left) {
      left = true;
      batcher.leave();
    }
  }

  /**
   * "No longer wanted", as the {@link GenerationControl} contract has it (a
   * {@link CancellationException}), with the status the client gets.
   */
  static final class Cancelled extends CancellationException {
    private static final long serialVersionUID = 1L;
    final int status;

    Cancelled(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
