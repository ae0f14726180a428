package dev.kiln.serve;

import dev.kiln.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Merges calls of one model into one ONNX Runtime run: the rows of every waiting call (up to
 * {@code max_batch_size} rows) are joined along the first dim, run once, and the outputs cut back into
 * each caller's rows. One worker thread per model takes the oldest call and waits for more until the
 * batch is full, {@code max_queue_delay_us} has passed since that call arrived, or every
 * {@linkplain #join participant} is waiting (a sampler loop that joined the batch calls once per step,
 * so once each has called nobody else is coming). Calls whose inputs differ in their trailing dims run
 * in separate groups; a call whose caller is gone, or that timed out, is dropped before it runs.
 *
 * <p>A call that finds the model idle (nothing queued or running, no sampler loop joined) runs at once on
 * the caller's thread: a lone request then costs no hand-off to the worker and back. Calls that arrive
 * while it runs queue as usual and are merged by the worker once it is done, so under load batching is
 * what it was; runs of one model never overlap.
 */
final class Batcher implements AutoCloseable {

  /** What one batch run cost, for the metrics. */
  interface Listener {
    void executed(int calls, long rows, long queueNanos, long computeNanos);

    void dropped();
  }

  /** A model runner: inputs to the named outputs (a session's {@code run}). */
  interface Runner {
    Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs);
  }

  private record Call(Map<String, Tensor> inputs, Set<String> outputs, long rows, String signature,
      CompletableFuture<Map<String, Tensor>> result, BooleanSupplier wanted, long arrived) {}

  private final Runner runner;
  private final boolean batchable;
  private final int maxRows;
  private final long maxDelayNanos;
  private final Listener listener;
  private final BlockingQueue<Call> queue;
  /** One permit per place in the queue; a call gives its permit back when its run starts. */
  private final Semaphore places;
  private final int maxQueue;
  private final AtomicInteger participants = new AtomicInteger();
  /** Calls submitted and not yet finished, queued or running. */
  private final AtomicInteger unfinished = new AtomicInteger();
  /** Held by whichever thread runs the model: the worker or an idle-path caller. */
  private final ReentrantLock running = new ReentrantLock();
  private final Thread worker;
  private volatile boolean closed;
  private volatile Call carried;

  /**
   * @param name the model, for the worker thread's name
   * @param batchable whether calls may be merged along the first dim
   * @param maxRows the most rows one run takes (1: every call runs alone)
   */
  Batcher(String name, Runner runner, boolean batchable, int maxRows, long maxDelayMicros, int maxQueue,
      Listener listener) {
    this.runner = runner;
    this.batchable = batchable;
    this.maxRows = maxRows;
    this.maxDelayNanos = maxDelayMicros * 1000;
    this.listener = listener;
    this.queue = new ArrayBlockingQueue<>(maxQueue);
    this.places = new Semaphore(maxQueue);
    this.maxQueue = maxQueue;
    this.worker = new Thread(this::work, "kiln-batcher-" + name);
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Queues a call; the future completes with its outputs. A full queue answers 429 at once.
   *
   * @param wanted false once the caller has gone away (the call is then dropped unrun)
   */
  CompletableFuture<Map<String, Tensor>> submit(Map<String, Tensor> inputs, Set<String> outputs,
      BooleanSupplier wanted) {
    if (closed) {
      throw ApiException.unavailable("the server is shutting down");
    }
    long rows = inputs.values().iterator().next().dim(0);
    Call c = new Call(inputs, outputs, rows, signature(inputs), new CompletableFuture<>(), wanted, System.nanoTime());
    if (participants.get() == 0 && unfinished.compareAndSet(0, 1)) {
      c.result.whenComplete((r, e) -> unfinished.decrementAndGet());
      running.lock();
      try {
        run(List.of(c));
      } finally {
        running.unlock();
      }
      return c.result;
    }
    if (!places.tryAcquire()) {
      throw ApiException.tooBusy("the queue of this model is full (" + depth() + " waiting); retry later", 1);
    }
    unfinished.incrementAndGet();
    queue.add(c);
    c.result.whenComplete((r, e) -> unfinished.decrementAndGet());
    return c.result;
  }

  /** Calls accepted and not yet finished: waiting or running. */
  int unfinished() {
    return unfinished.get();
  }

  /** Calls waiting to run. */
  int depth() {
    return maxQueue - places.availablePermits();
  }

  /** A caller that will call once per round (a sampler loop) joins the rounds; see {@link #leave}. */
  void join() {
    participants.incrementAndGet();
  }

  /** A participant left: rounds no longer wait for it (a round waiting on it ends at the queue delay). */
  void leave() {
    participants.decrementAndGet();
  }

  private void work() {
    while (!closed) {
      try {
        List<Call> batch = next();
        if (!batch.isEmpty()) {
          running.lock();
          try {
            places.release(batch.size());
            run(batch);
          } finally {
            running.unlock();
          }
        }
      } catch (InterruptedException e) {
        // closing
      }
    }
  }

  private List<Call> next() throws InterruptedException {
    Call first = carried != null ? carried : queue.take();
    carried = null;
    List<Call> batch = new ArrayList<>(List.of(first));
    long rows = first.rows;
    long deadline = first.arrived + maxDelayNanos;
    while (batchable && rows < maxRows) {
      int expected = participants.get();
      if (expected > 0 && batch.size() >= expected) {
        break;
      }
      Call c = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (c == null) {
        break;
      }
      if (rows + c.rows > maxRows) {
        carried = c;
        break;
      }
      batch.add(c);
      rows += c.rows;
    }
    return batch;
  }

  private void run(List<Call> batch) {
    Map<String, List<Call>> groups = new LinkedHashMap<>();
    for (Call c : batch) {
      if (c.result.isDone() || !c.wanted.getAsBoolean()) {
        c.result.cancel(false);
        listener.dropped();
      } else {
        groups.computeIfAbsent(c.signature, k -> new ArrayList<>()).add(c);
      }
    }
    for (List<Call> group : groups.values()) {
      long start = System.nanoTime();
      try {
        List<Map<String, Tensor>> outs = runGroup(group);
        long end = System.nanoTime();
        long queued = 0;
        long rows = 0;
        for (Call c : group) {
          queued += start - c.arrived;
          rows += c.rows;
        }
        listener.executed(group.size(), rows, queued, end - start);
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result.complete(outs.get(i));
        }
      } catch (RuntimeException e) {
        group.forEach(c -> c.result.completeExceptionally(e));
      }
    }
  }

  private List<Map<String, Tensor>> runGroup(List<Call> group) {
    if (group.size() == 1) {
      Call c = group.get(0);
      return List.of(runner.run(c.inputs, c.outputs));
    }
    Map<String, Tensor> joined = new LinkedHashMap<>();
    for (String name : group.get(0).inputs.keySet()) {
      joined.put(name, Rows.concat(group.stream().map(c -> c.inputs.get(name)).toList()));
    }
    Set<String> outputs = new LinkedHashSet<>();
    group.forEach(c -> outputs.addAll(c.outputs));
    Map<String, Tensor> out = runner.run(joined, outputs);
    List<Map<String, Tensor>> split = new ArrayList<>();
    long from = 0;
    for (Call c : group) {
      Map<String, Tensor> mine = new LinkedHashMap<>();
      for (String name : c.outputs) {
        mine.put(name, Rows.slice(out.get(name), from, c.rows));
      }
      split.add(mine);
      from += c.rows;
    }
    return split;
  }

  /** Calls merge only when every input has the same name, type and trailing dims. */
  private static String signature(Map<String, Tensor> inputs) {
    StringBuilder sb = new StringBuilder();
    inputs.forEach((k, t) -> sb.append(k).append(':').append(t.dtype()).append(
        Arrays.toString(Arrays.copyOfRange(t.shape(), 1, t.rank()))).append(';'));
    return sb.toString();
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    Call c;
    while ((c = queue.poll()) != null) {
      c.result.completeExceptionally(ApiException.unavailable("the server is shutting down"));
    }
  }
}
