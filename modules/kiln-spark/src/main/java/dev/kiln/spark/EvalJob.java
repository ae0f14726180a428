package dev.kiln.spark;

import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.metrics.FeatureMoments;
import dev.kiln.diffusion.metrics.FrechetDistance;
import dev.kiln.diffusion.metrics.KnnManifold;
import dev.kiln.diffusion.metrics.PrecisionRecall;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.inference.SampleBatches;
import dev.kiln.runtime.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The eval job: the Fréchet distance and k-NN precision/recall of a sample job's samples against held-out
 * data, on the features {@code kiln eval} measures ({@link SampleQuality#features}: the digit classifier's
 * for images, the points for 2-D data), without ever holding the samples in one place.
 *
 * <ul>
 *   <li><b>FD</b>: each shard's features become {@link FeatureMoments} (count, mean, centred Gram matrix) on
 *       its executor; the driver merges them in shard order, so the distance is the same for any number of
 *       partitions, and equals the one-machine FD of the same samples up to rounding.
 *   <li><b>Precision</b>: the reference set's k-NN balls ({@link KnnManifold}, k = 3) are broadcast; every
 *       executor counts its samples inside them; the counts add up exactly, over all samples.
 *   <li><b>Recall</b> needs the generated set's own k-NN balls, which are quadratic in its size; it is measured
 *       with the first M samples, M the reference count (as many samples as references, the setting of
 *       Kynkäänniemi et al.), on the driver. With at most M samples both scores are exactly
 *       {@link PrecisionRecall#of}'s.
 * </ul>
 */
public final class EvalJob {

  private EvalJob() {}

  /** One shard's contribution: its moments, its samples inside the reference manifold, its leading rows. */
  record ShardScore(long shard, FeatureMoments moments, long covered, double[][] leading) implements Serializable {}

  /** The scores of one sample job. */
  public record Result(String model, String sampler, int steps, int evaluations, double guidance, long count,
      int references, double fd, double precision, double recall, double seconds) {

    /** One JSON object, fields in a fixed order. */
    public String json() {
      return String.format(java.util.Locale.ROOT, "{\"model\": \"%s\", \"sampler\": \"%s\", \"steps\": %d, "
          + "\"nfe\": %d, \"guidance\": %s, \"count\": %d, \"references\": %d, \"fd\": %s, \"precision\": %s, "
          + "\"recall\": %s, \"seconds\": %.3f}", model.replace("\\", "\\\\").replace("\"", "\\\""), sampler, steps,
          evaluations, guidance, count, references, fd, precision, recall, seconds);
    }
  }

  /** Draws and scores {@code spec}'s samples over {@code partitions} partitions. */
  public static Result run(SparkSession spark, SampleSpec spec, int partitions) {
    long start = System.nanoTime();
    GenerativeModel driverModel = spec.runtime().generative(spec.model());
    SampleQuality driverQuality = spec.runtime().quality(driverModel);
    int m = driverQuality.referenceCount(spec.count());
    if (m <= PrecisionRecall.DEFAULT_K) {
      throw new IllegalArgumentException("--count must be more than " + PrecisionRecall.DEFAULT_K
          + " for k-NN precision/recall, got " + spec.count());
    }
    Tensor reference = driverQuality.referenceFeatures(spec.seed(), m);
    KnnManifold referenceBalls = KnnManifold.of(reference, PrecisionRecall.DEFAULT_K);
    Broadcast<KnnManifold> balls = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(referenceBalls);

    List<ShardScore> scores = new ArrayList<>(SampleJob.shards(spark, spec, partitions).mapPartitions(it -> {
      SampleBatches job = spec.batches();
      SampleQuality quality = spec.runtime().quality(job.model());
      List<ShardScore> out = new ArrayList<>();
      while (it.hasNext()) {
        long k = it.next();
        out.add(score(job, k, quality.features(job.draw(k)), balls.value(), m));
      }
      return out.iterator();
    }).collect());
    balls.destroy();
    scores.sort(Comparator.comparingLong(ShardScore::shard));

    FeatureMoments moments = FeatureMoments.empty(referenceBalls.centres()[0].length);
    long covered = 0;
    List<double[]> leading = new ArrayList<>(m);
    for (ShardScore s : scores) {
      moments = moments.plus(s.moments());
      covered += s.covered();
      if (s.leading() != null) {
        leading.addAll(List.of(s.leading()));
      }
    }
    double fd = FrechetDistance.between(moments.gaussian(), FeatureMoments.of(reference).gaussian());
    double precision = (double) covered / spec.count();
    double recall = (double) KnnManifold.of(leading.toArray(double[][]::new), PrecisionRecall.DEFAULT_K)
        .count(reference) / m;
    double secs = (System.nanoTime() - start) / 1e9;
    return new Result(spec.model().name(), spec.sampler(), spec.steps(), spec.evaluations(), spec.guidance(),
        spec.count(), m, fd, precision, recall, secs);
  }

  private static ShardScore score(SampleBatches job, long k, Tensor features, KnnManifold balls, int leadingCount) {
    double[] flat = features.toDoubleArray();
    int n = (int) features.dim(0);
    int d = (int) features.dim(1);
    double[][] rows = new double[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, rows[i], 0, d);
    }
    long offset = job.offset(k);
    double[][] leading = null;
    if (offset < leadingCount) {
      leading = java.util.Arrays.copyOf(rows, (int) Math.min(n, leadingCount - offset));
    }
    return new ShardScore(k, FeatureMoments.of(rows), balls.count(rows), leading);
  }
}
