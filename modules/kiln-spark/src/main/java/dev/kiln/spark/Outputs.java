package dev.kiln.spark;

import dev.kiln.graph.onnx.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Job outputs committed whole: a Parquet folder is written under a hidden temporary name beside the target
 * and renamed into place once Spark has written every partition, so a failed or killed job leaves no
 * half-written output under the target's name. Any Hadoop file system works (local, HDFS, S3A).
 */
public final class Outputs {

  private Outputs() {}

  /** Fails unless {@code out} can be created: it must not exist yet. */
  public static void requireNew(SparkSession spark, String out, String option) throws IOException {
    Path target = new Path(out);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (fs.exists(target)) {
      throw new IllegalArgumentException(option + " " + out + " exists already; remove it or name another");
    }
  }

  /** Writes {@code rows} as Parquet at {@code out} (which must not exist), atomically. */
  public static void parquet(SparkSession spark, Dataset<Row> rows, String out, String option) throws IOException {
    requireNew(spark, out, option);
    FileSystem fs = new Path(out).getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path target = fs.makeQualified(new Path(out));
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      rows.write().parquet(tmp.toString());
      if (!fs.rename(tmp, target)) {
        throw new IOException(option + " " + out + ": could not move the written output into place from " + tmp);
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
    }
  }

  /** Writes a small text file on the driver, atomically. */
  public static void text(java.nio.file.Path file, String content) throws IOException {
    java.nio.file.Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    AtomicFiles.write(abs, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
