// Checks that a kiln-spark sample job's Parquet holds the same bits as `kiln sample --raw`:
//   java -cp "modules/kiln-spark/target/spark-home/jars/*:modules/kiln-spark/target/kiln-lib/*:modules/kiln-spark/target/kiln-spark.jar" \
//     <Spark's --add-opens> scripts/SparkSamplesEqual.java SAMPLES.parquet RAW.safetensors
// (scripts/spark-bench.sh runs it). Exit status 0 when every value is bit-identical, 1 otherwise.
import dev.kiln.spark.SampleJob;
import dev.kiln.train.SafeTensors;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

public final class SparkSamplesEqual {
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("compare")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    float[] parquet = SampleJob.tensor(spark.read().parquet(args[0]).orderBy("index").collectAsList()).toFloatArray();
    float[] raw = SafeTensors.read(Path.of(args[1])).get("samples").toFloatArray();
    spark.stop();
    if (parquet.length != raw.length) {
      System.out.println("different sizes: " + parquet.length + " values in " + args[0] + ", " + raw.length + " in "
          + args[1]);
      System.exit(1);
    }
    for (int i = 0; i < raw.length; i++) {
      if (Float.floatToRawIntBits(parquet[i]) != Float.floatToRawIntBits(raw[i])) {
        System.out.println("value " + i + " differs: " + parquet[i] + " in " + args[0] + ", " + raw[i] + " in "
            + args[1]);
        System.exit(1);
      }
    }
    System.out.println("bit-identical: " + raw.length + " values (" + args[0] + " = " + args[1] + ")");
  }
}
