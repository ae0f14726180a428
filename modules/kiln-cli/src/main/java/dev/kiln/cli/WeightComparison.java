package dev.kiln.cli;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.graph.onnx.TensorProtos;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * How far the weights (initializers) of two exported models are apart: the tensors compared, those whose
 * bits differ, and the largest absolute difference with the tensor it is in.
 *
 * @param tensors initializers the two files share
 * @param differing of those, the ones not equal bit for bit
 * @param unmatched initializers only one of the files holds, or held with another shape
 * @param maxDifference the largest |a − b| over every element
 * @param where the initializer holding it
 */
record WeightComparison(int tensors, int differing, int unmatched, double maxDifference, String where) {

  static WeightComparison of(Path a, Path b) throws IOException {
    Map<String, TensorProto> x = ModelReader.read(a).initializers();
    Map<String, TensorProto> y = ModelReader.read(b).initializers();
    TreeSet<String> names = new TreeSet<>(x.keySet());
    names.addAll(y.keySet());
    int tensors = 0;
    int differing = 0;
    int unmatched = 0;
    double max = 0;
    String where = null;
    for (String n : names) {
      TensorProto p = x.get(n);
      TensorProto q = y.get(n);
      if (p == null || q == null || !p.getDimsList().equals(q.getDimsList()) || p.getDataType() != q.getDataType()) {
        unmatched++;
        continue;
      }
      tensors++;
      double[] u = TensorProtos.toDoubles(p);
      double[] v = TensorProtos.toDoubles(q);
      boolean same = true;
      for (int i = 0; i < u.length; i++) {
        if (Double.doubleToRawLongBits(u[i]) != Double.doubleToRawLongBits(v[i])) {
          same = false;
          double d = Math.abs(u[i] - v[i]);
          if (!(d <= max)) {
            max = d;
            where = n;
          }
        }
      }
      differing += same ? 0 : 1;
    }
    return new WeightComparison(tensors, differing, unmatched, max, where);
  }

  boolean identical() {
    return differing == 0 && unmatched == 0;
  }

  @Override
  public String toString() {
    if (identical()) {
      return "bit for bit: all " + tensors + " weight tensors identical";
    }
    return String.format(Locale.ROOT, "%d of %d weight tensors differ%s; largest |difference| %.3g (in %s)", differing,
        tensors, unmatched == 0 ? "" : ", " + unmatched + " present in one file only or with another shape", maxDifference, where);
  }
}
