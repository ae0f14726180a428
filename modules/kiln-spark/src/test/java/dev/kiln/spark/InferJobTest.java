package dev.kiln.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferJobTest {

  @TempDir
  Path dir;

  private static final int N = 40;

  /** A table of the quickstart denoiser's inputs: id, x [2], t, with {@code perRow} values of x per row. */
  private String table(String name, int perRow, boolean withT) {
    StructType schema = new StructType().add("id", DataTypes.LongType, false)
        .add("x", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    if (withT) {
      schema = schema.add("t", DataTypes.FloatType, false);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      float[] x = new float[perRow];
      for (int j = 0; j < perRow; j++) {
        x[j] = (float) Math.sin(i * 1.3 + j);
      }
      rows.add(withT ? RowFactory.create((long) i, x, (float) (i * 20)) : RowFactory.create((long) i, x));
    }
    String path = dir.resolve(name).toString();
    LocalSpark.session().createDataFrame(rows, schema).repartition(3).write().parquet(path);
    return path;
  }

  private ModelFile quickstart() throws Exception {
    return ModelFile.broadcast(LocalSpark.context(), LocalSpark.QUICKSTART, "--model");
  }

  @Test
  void outputsAreTheModelsForEveryRowWithTheOtherColumnsCarried() throws Exception {
    SparkSession spark = LocalSpark.session();
    String in = table("in", 2, true);
    List<Row> out = InferJob.run(spark, quickstart(), LocalSpark.CPU, in, 7).orderBy("id").collectAsList();

    float[] x = new float[2 * N];
    float[] t = new float[N];
    for (int i = 0; i < N; i++) {
      x[2 * i] = (float) Math.sin(i * 1.3);
      x[2 * i + 1] = (float) Math.sin(i * 1.3 + 1);
      t[i] = i * 20;
    }
    Session direct = LocalSpark.CPU.session(quickstart());
    float[] expected = direct.run(Map.of("x", Tensor.of(x, N, 2), "t", Tensor.of(t, N))).get("out").toFloatArray();

    assertThat(out).hasSize(N);
    assertThat(out.get(0).schema().fieldNames()).containsExactly("id", "out");
    for (int i = 0; i < N; i++) {
      assertThat(out.get(i).getLong(0)).isEqualTo(i);
      List<Float> y = out.get(i).getList(1);
      assertThat(y).containsExactly(expected[2 * i], expected[2 * i + 1]);
    }
  }

  @Test
  void aMissingInputColumnIsAnErrorNamingTheFileAndTheColumn() throws Exception {
    String in = table("no-t", 2, false);
    assertThatThrownBy(() -> InferJob.run(LocalSpark.session(), quickstart(), LocalSpark.CPU, in, 8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(in).hasMessageContaining("no column `t`")
        .hasMessageContaining("[id, x]");
  }

  @Test
  void aRowOfTheWrongLengthIsAnErrorNamingTheColumnAndTheCounts() throws Exception {
    String in = table("three", 3, true);
    assertThatThrownBy(() -> InferJob.run(LocalSpark.session(), quickstart(), LocalSpark.CPU, in, 8).collectAsList())
        .satisfies(e -> assertThat(KilnSpark.mistake(e)).contains(in).contains("column `x` holds 3 values")
            .contains("takes 2 per row"));
  }
}
