package dev.kiln.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KilnSparkTest {

  @TempDir
  Path dir;

  private record Outcome(int status, String out, String err) {}

  private static Outcome run(String... args) {
    LocalSpark.session(); // the commands reuse the running session
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int status = KilnSpark.run(args);
      return new Outcome(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void sampleWritesParquetAndAPng() throws Exception {
    Path out = dir.resolve("s.parquet");
    Path png = dir.resolve("s.png");
    Outcome r = run("sample", "--model", LocalSpark.QUICKSTART.toString(), "--steps", "4", "-n", "300",
        "--shard-size", "100", "--partitions", "3", "--out", out.toString(), "--png", png.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("300 samples, ddim 4 steps").contains("3 shards on 3 partitions");
    assertThat(LocalSpark.session().read().parquet(out.toString()).count()).isEqualTo(300);
    assertThat(Files.size(png)).isPositive();
  }

  @Test
  void evalPrintsOneJsonObject() throws Exception {
    Path json = dir.resolve("eval.json");
    Outcome r = run("eval", "--model", LocalSpark.QUICKSTART.toString(), "--steps", "4", "-n", "200",
        "--shard-size", "50", "--out", json.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"count\": 200").contains("\"fd\": ");
    assertThat(Files.readString(json)).isEqualTo(r.out().lines().reduce((a, b) -> b).orElseThrow() + "\n");
  }

  @Test
  void aMissingModelIsExitTwoWithOneLineNamingIt() {
    Outcome r = run("sample", "--model", dir.resolve("none.onnx").toString(), "--out", dir.resolve("o").toString());
    assertThat(r.status()).isEqualTo(KilnSpark.USAGE_ERROR);
    assertThat(r.err()).contains("kiln-spark sample: ").contains("none.onnx");
  }

  @Test
  void aBadStepCountIsExitTwoNamingTheOptionAndValue() {
    Outcome r = run("eval", "--model", LocalSpark.QUICKSTART.toString(), "--steps", "0");
    assertThat(r.status()).isEqualTo(KilnSpark.USAGE_ERROR);
    assertThat(r.err()).contains("--steps must be in 1..10000, got 0");
  }
}
