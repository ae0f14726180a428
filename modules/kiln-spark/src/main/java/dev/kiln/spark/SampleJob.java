package dev.kiln.spark;

import dev.kiln.graph.DType;
import dev.kiln.inference.SampleBatches;
import dev.kiln.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The sample job: {@code count} samples as rows {@code (shard, index, label, shape, values)}, one per
 * sample. The shards are spread over the partitions in contiguous runs; each shard's samples depend only on
 * (seed, shard) ({@link SampleBatches}), so the rows are the same bits for any number of partitions and
 * executors.
 */
public final class SampleJob {

  /** The rows' schema: {@code values} holds one sample's float32 values in row-major order of {@code shape}. */
  public static final StructType SCHEMA = new StructType()
      .add("shard", DataTypes.LongType, false)
      .add("index", DataTypes.LongType, false)
      .add("label", DataTypes.LongType, true)
      .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("values", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  private SampleJob() {}

  /** The shards of {@code spec} as an RDD of shard indices in {@code partitions} contiguous runs. */
  static JavaRDD<Long> shards(SparkSession spark, SampleSpec spec, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
    }
    List<Long> shards = LongStream.range(0, spec.shards()).boxed().toList();
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(shards, partitions);
  }

  /** Every sample of {@code spec}, drawn over {@code partitions} partitions (lazily, as Spark runs it). */
  public static Dataset<Row> samples(SparkSession spark, SampleSpec spec, int partitions) {
    JavaRDD<Row> rows = shards(spark, spec, partitions).mapPartitions(it -> {
      SampleBatches job = spec.batches();
      List<Row> out = new ArrayList<>();
      while (it.hasNext()) {
        long k = it.next();
        out.addAll(rows(job, k, job.draw(k)));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The rows of shard {@code k}: its samples {@code batch [n, ...]}. */
  static List<Row> rows(SampleBatches job, long k, Tensor batch) {
    if (batch.dtype() != DType.FLOAT) {
      throw new IllegalStateException(job.model().path() + " samples " + batch.dtype() + "; the job writes float32");
    }
    int n = (int) batch.dim(0);
    int[] shape = new int[batch.rank() - 1];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = (int) batch.dim(i + 1);
    }
    int per = batch.size() / n;
    float[] all = batch.toFloatArray();
    long offset = job.offset(k);
    long[] labels = job.labels(offset, n);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] v = new float[per];
      System.arraycopy(all, i * per, v, 0, per);
      rows.add(RowFactory.create(k, offset + i, labels == null ? null : labels[i], shape.clone(), v));
    }
    return rows;
  }

  /** Rows {@code (shard, index, label, shape, values)} in index order as one tensor {@code [n, shape...]}. */
  public static Tensor tensor(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Integer> shape = rows.get(0).getList(3);
    long[] dims = new long[shape.size() + 1];
    dims[0] = rows.size();
    int per = 1;
    for (int i = 0; i < shape.size(); i++) {
      dims[i + 1] = shape.get(i);
      per *= shape.get(i);
    }
    float[] all = new float[rows.size() * per];
    for (int r = 0; r < rows.size(); r++) {
      List<Float> v = rows.get(r).getList(4);
      for (int j = 0; j < per; j++) {
        all[r * per + j] = v.get(j);
      }
    }
    return Tensor.of(all, dims);
  }
}
