package dev.kiln.spark;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The infer job: any exported model over a Parquet table of inputs. The table has one column per model input,
 * named as the input, holding one row's values: a number for an input of shape {@code [N]}, an array of the
 * row's values in row-major order otherwise ({@code [N, 2]}: two numbers). Every other column is carried
 * through unchanged (ids, labels). Each output becomes a column of the same name holding the row's output
 * values in row-major order. Rows are run {@code batch} at a time through the executor's one session.
 */
public final class InferJob {

  private InferJob() {}

  /** One model input as the job reads it: its column, element type and values per row. */
  record Input(String name, int column, DType dtype, long[] shape, int perRow) implements java.io.Serializable {}

  /** The outputs of {@code model} for every row of the Parquet table {@code input}. */
  public static Dataset<Row> run(SparkSession spark, ModelFile model, ExecutorRuntime runtime, String input,
      int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
    }
    Dataset<Row> table = spark.read().parquet(input);
    StructType schema = table.schema();
    Session driverSession = runtime.session(model);
    List<Input> inputs = new ArrayList<>();
    for (String name : driverSession.inputNames()) {
      inputs.add(input(input, model, schema, name, driverSession));
    }
    List<Integer> carried = new ArrayList<>();
    StructType out = new StructType();
    for (int c = 0; c < schema.fields().length; c++) {
      StructField f = schema.fields()[c];
      if (inputs.stream().noneMatch(in -> in.name().equals(f.name()))) {
        carried.add(c);
        out = out.add(f);
      }
    }
    // One zero row through the model on the driver: the output types, and a model that cannot run fails here.
    Map<String, Tensor> zeros = new LinkedHashMap<>();
    for (Input in : inputs) {
      long[] shape = in.shape().clone();
      shape[0] = 1;
      zeros.put(in.name(), Tensor.zeros(in.dtype(), shape));
    }
    Map<String, Tensor> probe = driverSession.run(zeros);
    List<String> outputs = List.copyOf(probe.keySet());
    for (String o : outputs) {
      if (Arrays.stream(out.fieldNames()).anyMatch(o::equals)) {
        throw new IllegalArgumentException(input + ": column `" + o + "` has the name of an output of " + model.name()
            + "; rename the column");
      }
      out = out.add(o, DataTypes.createArrayType(sparkType(probe.get(o).dtype(), model.name(), o), false), false);
    }
    StructType outSchema = out;
    return spark.createDataFrame(table.javaRDD().mapPartitions(it -> {
      Session session = runtime.session(model);
      List<Row> results = new ArrayList<>();
      List<Row> pending = new ArrayList<>(batch);
      while (it.hasNext()) {
        pending.add(it.next());
        if (pending.size() == batch || !it.hasNext()) {
          Map<String, Tensor> y = session.run(feeds(inputs, pending, input));
          for (int r = 0; r < pending.size(); r++) {
            Object[] values = new Object[carried.size() + outputs.size()];
            for (int c = 0; c < carried.size(); c++) {
              values[c] = pending.get(r).get(carried.get(c));
            }
            for (int o = 0; o < outputs.size(); o++) {
              values[carried.size() + o] = row(y.get(outputs.get(o)), r, pending.size());
            }
            results.add(RowFactory.create(values));
          }
          pending.clear();
        }
      }
      return results.iterator();
    }), outSchema);
  }

  private static Input input(String file, ModelFile model, StructType schema, String name, Session session) {
    long[] shape = session.inputShape(name);
    int per = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] <= 0) {
        throw new IllegalArgumentException(model.name() + ": input `" + name + "` has shape " + Arrays.toString(shape)
            + "; the infer job needs every dimension but the first (the batch) fixed");
      }
      per *= (int) shape[i];
    }
    int column = Arrays.asList(schema.fieldNames()).indexOf(name);
    if (column < 0) {
      throw new IllegalArgumentException(file + ": no column `" + name + "` for " + model.name() + "'s input " + name
          + " " + Arrays.toString(shape) + "; the columns are " + Arrays.toString(schema.fieldNames()));
    }
    DataType t = schema.fields()[column].dataType();
    boolean ok = per == 1 && shape.length == 1 ? t instanceof NumericType
        : t instanceof ArrayType a && a.elementType() instanceof NumericType;
    if (!ok) {
      throw new IllegalArgumentException(file + ": column `" + name + "` is " + t.simpleString() + "; "
          + model.name() + "'s input " + name + " " + Arrays.toString(shape) + " needs "
          + (shape.length == 1 ? "a number" : "an array of " + per + " numbers") + " per row");
    }
    return new Input(name, column, session.inputType(name), shape, per);
  }

  /** The model's inputs for {@code rows}, checked value by value. */
  private static Map<String, Tensor> feeds(List<Input> inputs, List<Row> rows, String file) {
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    int n = rows.size();
    for (Input in : inputs) {
      long[] shape = in.shape().clone();
      shape[0] = n;
      Tensor t = Tensor.zeros(in.dtype(), shape);
      for (int r = 0; r < n; r++) {
        Row row = rows.get(r);
        if (row.isNullAt(in.column())) {
          throw new IllegalArgumentException(file + ": column `" + in.name() + "` is null in " + where(r));
        }
        Object v = row.get(in.column());
        if (v instanceof Number x) {
          put(t, r * in.perRow(), x);
          continue;
        }
        List<Object> values = row.getList(in.column());
        if (values.size() != in.perRow()) {
          throw new IllegalArgumentException(file + ": column `" + in.name() + "` holds " + values.size()
              + " values in " + where(r) + "; input " + in.name() + " " + Arrays.toString(in.shape()) + " takes "
              + in.perRow() + " per row");
        }
        for (int j = 0; j < values.size(); j++) {
          if (!(values.get(j) instanceof Number x)) {
            throw new IllegalArgumentException(file + ": column `" + in.name() + "` has a null at position " + j
                + " in " + where(r));
          }
          put(t, r * in.perRow() + j, x);
        }
      }
      feeds.put(in.name(), t);
    }
    return feeds;
  }

  private static void put(Tensor t, int i, Number x) {
    if (t.dtype() == DType.INT64) {
      t.longs().put(i, x.longValue());
    } else {
      t.set(i, x.doubleValue());
    }
  }

  private static String where(int rowInBatch) {
    TaskContext tc = TaskContext.get();
    return tc == null ? "row " + rowInBatch : "partition " + tc.partitionId() + " (row " + rowInBatch + " of a batch)";
  }

  /** Row {@code r}'s values of output {@code y [n, ...]}. */
  private static Object row(Tensor y, int r, int n) {
    int per = y.size() / n;
    return switch (y.dtype()) {
      case FLOAT -> Arrays.copyOfRange(y.toFloatArray(), r * per, (r + 1) * per);
      case DOUBLE -> Arrays.copyOfRange(y.toDoubleArray(), r * per, (r + 1) * per);
      case INT64 -> Arrays.copyOfRange(y.toLongArray(), r * per, (r + 1) * per);
      default -> throw new IllegalStateException("output of type " + y.dtype());
    };
  }

  private static DataType sparkType(DType t, String model, String output) {
    return switch (t) {
      case FLOAT -> DataTypes.FloatType;
      case DOUBLE -> DataTypes.DoubleType;
      case INT64 -> DataTypes.LongType;
      default -> throw new IllegalArgumentException(model + ": output `" + output + "` is " + t
          + "; the infer job writes float, double and int64 outputs");
    };
  }
}
