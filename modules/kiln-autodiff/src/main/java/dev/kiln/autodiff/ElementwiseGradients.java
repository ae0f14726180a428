package dev.kiln.autodiff;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import java.util.Arrays;
import java.util.List;

/**
 * Derivatives of element-wise operators. Notation: {@code x}, {@code a}, {@code b} inputs, {@code y}
 * output, {@code dy} its gradient; binary results are summed back over broadcast axes.
 */
final class ElementwiseGradients {

  private ElementwiseGradients() {}

  static List<Value> grads(Value... g) {
    return Arrays.asList(g);
  }

  static void register(GradientRegistry r) {
    // d(a+b) = dy, dy
    r.put("Add", c -> grads(c.unbroadcast(c.dy(), c.in(0)), c.unbroadcast(c.dy(), c.in(1))));
    // d(a-b) = dy, -dy
    r.put("Sub", c -> grads(c.unbroadcast(c.dy(), c.in(0)), c.unbroadcast(c.g().neg(c.dy()), c.in(1))));
    // d(a·b) = dy·b, dy·a
    r.put("Mul", c -> grads(
        c.needs(0) ? c.unbroadcast(c.g().mul(c.dy(), c.in(1)), c.in(0)) : null,
        c.needs(1) ? c.unbroadcast(c.g().mul(c.dy(), c.in(0)), c.in(1)) : null));
    // d(a/b) = dy/b, -dy·y/b
    r.put("Div", c -> grads(
        c.needs(0) ? c.unbroadcast(c.g().div(c.dy(), c.in(1)), c.in(0)) : null,
        c.needs(1) ? c.unbroadcast(c.g().neg(c.g().div(c.g().mul(c.dy(), c.out(0)), c.in(1))), c.in(1)) : null));
    // d(a^b) = dy·b·a^(b−1), dy·y·log a  (log taken where a > 0)
    r.put("Pow", ElementwiseGradients::pow);
    r.put("Neg", c -> grads(c.g().neg(c.dy())));
    r.put("Identity", c -> grads(c.dy()));
    r.put("Abs", c -> grads(c.g().mul(c.dy(), c.g().sign(c.in(0)))));
    // d√x = dy / (2y)
    r.put("Sqrt", c -> grads(c.g().div(c.g().mul(c.dy(), 0.5), c.out(0))));
    r.put("Exp", c -> grads(c.g().mul(c.dy(), c.out(0))));
    r.put("Log", c -> grads(c.g().div(c.dy(), c.in(0))));
    // d(1/x) = −dy·y²
    r.put("Reciprocal", c -> grads(c.g().neg(c.g().mul(c.dy(), c.g().square(c.out(0))))));
    r.put("Relu", c -> grads(c.g().mul(c.dy(), positive(c))));
    // leaky: dy where x > 0, alpha·dy elsewhere
    r.put("LeakyRelu", c -> {
      Value pos = positive(c);
      Value slope = c.g().add(pos, c.g().mul(c.g().sub(1.0, pos), c.attrFloat("alpha", 0.01f)));
      return grads(c.g().mul(c.dy(), slope));
    });
    // σ' = y(1−y)
    r.put("Sigmoid", c -> grads(c.g().mul(c.dy(), c.g().mul(c.out(0), c.g().sub(1.0, c.out(0))))));
    // tanh' = 1 − y²
    r.put("Tanh", c -> grads(c.g().mul(c.dy(), c.g().sub(1.0, c.g().square(c.out(0))))));
    // erf' = 2/√π · exp(−x²)
    r.put("Erf", c -> grads(c.g().mul(c.dy(),
        c.g().mul(c.g().exp(c.g().neg(c.g().square(c.in(0)))), 2 / Math.sqrt(Math.PI)))));
    // softplus' = σ(x)
    r.put("Softplus", c -> grads(c.g().mul(c.dy(), c.g().sigmoid(c.in(0)))));
    // sin' = cos; in float64 as sin(x + π/2), since ONNX Runtime has a float64 Sin kernel but no float64 Cos
    r.put("Sin", c -> grads(c.g().mul(c.dy(), c.in(0).dtype() == DType.DOUBLE
        ? c.g().sin(c.g().add(c.in(0), Math.PI / 2)) : c.g().cos(c.in(0)))));
    r.put("Cos", c -> grads(c.g().neg(c.g().mul(c.dy(), c.g().sin(c.in(0))))));
    // atan' = 1/(1+x²)
    r.put("Atan", c -> grads(c.g().div(c.dy(), c.g().add(c.g().square(c.in(0)), 1.0))));
    // clip passes dy where lo ≤ x ≤ hi
    r.put("Clip", c -> {
      Graph g = c.g();
      Value keep = null;
      if (c.in(1) != null) {
        keep = g.not(g.less(c.in(0), c.in(1)));
      }
      if (c.in(2) != null) {
        Value hi = g.not(g.greater(c.in(0), c.in(2)));
        keep = keep == null ? hi : g.and(keep, hi);
      }
      return grads(keep == null ? c.dy() : g.mul(c.dy(), c.asFloat(keep, c.in(0))), null, null);
    });
    // max/min of two: the larger (smaller) input takes dy; ties split it evenly
    r.put("Max", c -> minMax(c, true));
    r.put("Min", c -> minMax(c, false));
    r.put("Sum", c -> {
      Value[] out = new Value[c.node().inputs().size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = c.unbroadcast(c.dy(), c.in(i));
      }
      return grads(out);
    });
    r.put("Mean", c -> {
      Value[] out = new Value[c.node().inputs().size()];
      Value scaled = c.g().div(c.dy(), out.length);
      for (int i = 0; i < out.length; i++) {
        out[i] = c.unbroadcast(scaled, c.in(i));
      }
      return grads(out);
    });
    // where: dy goes to the branch the condition picked
    r.put("Where", c -> {
      Graph g = c.g();
      Value zero = g.scalarLike(c.dy(), 0);
      return grads(null,
          c.needs(1) ? c.unbroadcast(g.where(c.in(0), c.dy(), zero), c.in(1)) : null,
          c.needs(2) ? c.unbroadcast(g.where(c.in(0), zero, c.dy()), c.in(2)) : null);
    });
    r.put("Cast", c -> grads(c.in(0).dtype().isFloating() ? c.g().cast(c.dy(), c.in(0).dtype()) : null));
    // step functions: the derivative is 0 wherever it exists, so no input gets a contribution
    for (String op : List.of("Sign", "Floor", "Ceil", "Round")) {
      r.put(op, c -> grads());
    }
    r.none("boolean output", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor");
    r.none("integer output", "ArgMax", "ArgMin", "Shape", "Size");
    r.none("output fixed by an int64 shape", "ConstantOfShape");
    r.none("no gradient for learned on/off values", "OneHot");
    r.none("no gradient for start, limit or delta", "Range");
  }

  private static Value positive(GradContext c) {
    return c.asFloat(c.g().greater(c.in(0), c.g().scalarLike(c.in(0), 0)), c.in(0));
  }

  private static List<Value> pow(GradContext c) {
    Graph g = c.g();
    Value a = c.in(0);
    Value b = c.in(1);
    Value da = null;
    if (c.needs(0)) {
      Value bLike = g.cast(b, a.dtype());
      da = c.unbroadcast(g.mul(c.dy(), g.mul(bLike, g.pow(a, g.sub(bLike, g.scalarLike(a, 1))))), a);
    }
    Value db = null;
    if (c.needs(1)) {
      Value positive = g.greater(a, g.scalarLike(a, 0));
      Value safe = g.where(positive, a, g.scalarLike(a, 1));
      db = c.unbroadcast(g.mul(c.dy(), g.mul(c.out(0), g.log(safe))), b);
    }
    return grads(da, db);
  }

  private static List<Value> minMax(GradContext c, boolean max) {
    if (c.node().inputs().size() != 2) {
      throw c.error("only the two-input form is differentiable");
    }
    Graph g = c.g();
    Value a = c.in(0);
    Value b = c.in(1);
    Value wins = c.asFloat(max ? g.greater(a, b) : g.less(a, b), c.dy());
    Value ties = c.asFloat(g.equal(a, b), c.dy());
    Value share = g.add(wins, g.mul(ties, 0.5));
    return grads(c.unbroadcast(g.mul(c.dy(), share), a), c.unbroadcast(g.mul(c.dy(), g.sub(1.0, share)), b));
  }
}
