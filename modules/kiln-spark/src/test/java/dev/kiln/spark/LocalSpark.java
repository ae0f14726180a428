package dev.kiln.spark;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for every test class of the module (Spark starts slowly). */
final class LocalSpark {

  static final Path QUICKSTART = Path.of("../../model-zoo/quickstart-8gaussians/model.onnx");
  static final Path MNIST_UNET = Path.of("../../model-zoo/mnist-unet/model.onnx");
  static final ExecutorRuntime CPU = new ExecutorRuntime("cpu", 1);

  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder().appName("kiln-spark tests").master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          // the tests' tables are tiny: interpreting their plans is quicker than compiling them
          .config("spark.sql.codegen.wholeStage", "false")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }
}
