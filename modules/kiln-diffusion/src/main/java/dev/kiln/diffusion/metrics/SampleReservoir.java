package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Seeds;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A bounded, seeded uniform sample of a stream of rows, for the metrics that need a set of samples rather
 * than a summary (MMD², sliced Wasserstein, the generated manifold of k-NN recall). Row {@code i} of the
 * stream gets the priority {@code Seeds.mix(seed, "sample-reservoir", i)}, and the reservoir keeps the
 * {@code capacity} rows of smallest priority (bottom-k sampling: a uniform sample without replacement). The
 * rows kept depend only on the seed and the rows' indices, never on how the stream was cut into batches or
 * in which order the batches came, and {@link #rows()} returns them in index order; with at most
 * {@code capacity} rows the reservoir holds them all, in order. Memory: {@code capacity} rows.
 */
public final class SampleReservoir {

  private record Entry(long priority, long index, double[] row) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingLong(Entry::priority).thenComparingLong(Entry::index);

  private final int capacity;
  private final long seed;
  private final PriorityQueue<Entry> kept; // largest priority at the head
  private long seen;

  /** An empty reservoir of at most {@code capacity} rows whose choice is fixed by {@code seed}. */
  public SampleReservoir(int capacity, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("reservoir capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.seed = seed;
    this.kept = new PriorityQueue<>(Math.min(capacity, 1 << 16) + 1, ORDER.reversed());
  }

  /** Offers row {@code index} of the stream (each index once; the row is held as given). */
  public void add(long index, double[] row) {
    seen++;
    Entry e = new Entry(Seeds.mix(seed, "sample-reservoir", index), index, row);
    if (kept.size() < capacity) {
      kept.add(e);
    } else if (ORDER.compare(e, kept.peek()) < 0) {
      kept.poll();
      kept.add(e);
    }
  }

  /** Offers rows {@code [offset, offset + rows.length)} of the stream. */
  public void addAll(long offset, double[][] rows) {
    for (int i = 0; i < rows.length; i++) {
      add(offset + i, rows[i]);
    }
  }

  /** The rows kept, {@code [min(seen, capacity), d]}, in the order of their indices. */
  public double[][] rows() {
    Entry[] entries = kept.toArray(Entry[]::new);
    Arrays.sort(entries, Comparator.comparingLong(Entry::index));
    double[][] rows = new double[entries.length][];
    for (int i = 0; i < entries.length; i++) {
      rows[i] = entries[i].row();
    }
    return rows;
  }

  /** The indices of the rows kept, ascending. */
  public long[] indices() {
    return kept.stream().mapToLong(Entry::index).sorted().toArray();
  }

  /** The most rows the reservoir keeps. */
  public int capacity() {
    return capacity;
  }

  /** Rows offered so far. */
  public long seen() {
    return seen;
  }

  /** Rows kept now: {@code min(seen, capacity)}. */
  public int size() {
    return kept.size();
  }
}
