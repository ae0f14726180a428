package dev.kiln.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.cli.KilnCommand;
import dev.kiln.runtime.Tensor;
import dev.kiln.train.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleJobTest {

  @TempDir
  Path dir;

  private static SampleSpec ddim(long count, long seed, int shardSize) throws Exception {
    return SampleSpec.plan(LocalSpark.context(), LocalSpark.QUICKSTART, "ddim", List.of(), 10, count, seed, null, 1.0,
        shardSize, LocalSpark.CPU);
  }

  private static int[] bits(Dataset<Row> rows) {
    Tensor t = SampleJob.tensor(rows.orderBy("index").collectAsList());
    float[] f = t.toFloatArray();
    int[] bits = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      bits[i] = Float.floatToRawIntBits(f[i]);
    }
    return bits;
  }

  @Test
  void samplesAreBitIdenticalForOneTwoAndEightPartitions() throws Exception {
    SparkSession spark = LocalSpark.session();
    SampleSpec spec = ddim(1000, 11, 125);
    assertThat(spec.shards()).isEqualTo(8);
    Dataset<Row> one = SampleJob.samples(spark, spec, 1);
    Dataset<Row> two = SampleJob.samples(spark, spec, 2);
    Dataset<Row> eight = SampleJob.samples(spark, spec, 8);
    assertThat(List.of(one, two, eight)).extracting(d -> d.javaRDD().getNumPartitions()).containsExactly(1, 2, 8);
    int[] reference = bits(one);
    assertThat(reference).hasSize(2000);
    assertThat(bits(two)).isEqualTo(reference);
    assertThat(bits(eight)).isEqualTo(reference);
  }

  @Test
  void shardsDrawDifferentNoise() throws Exception {
    Tensor t = SampleJob.tensor(SampleJob.samples(LocalSpark.session(), ddim(200, 3, 100), 2).orderBy("index")
        .collectAsList());
    float[] f = t.toFloatArray();
    // sample 0 of shard 0 against sample 0 of shard 1: equal only if both shards drew the same noise
    assertThat(new float[] {f[0], f[1]}).isNotEqualTo(new float[] {f[200], f[201]});
  }

  @Test
  void samplesEqualKilnSampleWithTheSameSeed() throws Exception {
    Path raw = dir.resolve("kiln.safetensors");
    int status = KilnCommand.run("sample", LocalSpark.QUICKSTART.toString(), "--sampler", "ddim", "--steps", "10",
        "-n", "5000", "--seed", "7", "--threads", "1", "--device", "cpu", "-o", dir.resolve("kiln.png").toString(),
        "--raw", raw.toString());
    assertThat(status).isZero();
    float[] kiln = SafeTensors.read(raw).get("samples").toFloatArray();

    SparkSession spark = LocalSpark.session();
    SampleSpec spec = ddim(5000, 7, dev.kiln.inference.SampleBatches.DEFAULT_SIZE);
    assertThat(spec.shards()).isEqualTo(2);
    String out = dir.resolve("samples.parquet").toString();
    Outputs.parquet(spark, SampleJob.samples(spark, spec, 2), out, "--out");
    float[] sparkSamples = SampleJob.tensor(spark.read().parquet(out).orderBy("index").collectAsList()).toFloatArray();

    assertThat(sparkSamples).hasSize(10_000);
    for (int i = 0; i < kiln.length; i++) {
      if (Float.floatToRawIntBits(kiln[i]) != Float.floatToRawIntBits(sparkSamples[i])) {
        throw new AssertionError("value " + i + ": kiln sample " + kiln[i] + ", spark " + sparkSamples[i]);
      }
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
    }
  }

  @Test
  void anOutputThatExistsIsRefusedNamingTheOptionAndPath() throws Exception {
    String out = dir.resolve("taken").toString();
    Files.createDirectories(dir.resolve("taken"));
    SparkSession spark = LocalSpark.session();
    assertThatThrownBy(() -> Outputs.parquet(spark, SampleJob.samples(spark, ddim(10, 0, 10), 1), out, "--out"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--out " + out + " exists");
  }

  @Test
  void aLabelForAnUnconditionalModelIsRefusedNamingTheModel() {
    assertThatThrownBy(() -> SampleSpec.plan(LocalSpark.context(), LocalSpark.QUICKSTART, null, List.of(), null, 10,
        0, 3, 1.0, 10, LocalSpark.CPU)).hasMessageContaining("--label").hasMessageContaining("quickstart-8gaussians")
        .hasMessageContaining("unconditional");
  }
}
