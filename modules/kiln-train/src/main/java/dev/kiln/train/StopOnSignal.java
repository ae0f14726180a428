package dev.kiln.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Long work that SIGTERM (and Ctrl-C) stops cleanly: a shutdown hook asks the work to stop and waits for it
 * to finish (a trainer saves its checkpoint) before the JVM exits.
 */
final class StopOnSignal {

  /** How long the JVM waits for the work to wind down after a signal. */
  static final long GRACE_SECONDS = 120;

  /** Work that may throw. */
  @FunctionalInterface
  interface Work<T, E extends Exception> {
    T run() throws E;
  }

  private StopOnSignal() {}

  /** Runs {@code work}; a signal meanwhile calls {@code stop} and waits for {@code work} to return. */
  static <T, E extends Exception> T during(Runnable stop, Work<T, E> work) throws E {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.run();
      try {
        done.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kiln-stop-on-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return work.run();
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running and now returns
      }
    }
  }
}
