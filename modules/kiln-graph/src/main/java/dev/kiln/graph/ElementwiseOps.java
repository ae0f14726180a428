package dev.kiln.graph;

import java.util.List;
import java.util.Map;

/** Element-wise ONNX operators (numpy broadcasting for the binary ones). */
public sealed interface ElementwiseOps permits Graph {

  private Graph g() {
    return (Graph) this;
  }

  private Value unary(String op, Value x) {
    return g().apply(op, List.of(x), Map.of());
  }

  private Value binary(String op, Value a, Value b) {
    return g().apply(op, List.of(a, b), Map.of());
  }

  default Value add(Value a, Value b) {
    return binary("Add", a, b);
  }

  default Value add(Value a, double b) {
    return binary("Add", a, g().scalarLike(a, b));
  }

  default Value sub(Value a, Value b) {
    return binary("Sub", a, b);
  }

  default Value sub(Value a, double b) {
    return binary("Sub", a, g().scalarLike(a, b));
  }

  /** {@code a − b} with a scalar on the left. */
  default Value sub(double a, Value b) {
    return binary("Sub", g().scalarLike(b, a), b);
  }

  default Value mul(Value a, Value b) {
    return binary("Mul", a, b);
  }

  default Value mul(Value a, double b) {
    return binary("Mul", a, g().scalarLike(a, b));
  }

  default Value div(Value a, Value b) {
    return binary("Div", a, b);
  }

  default Value div(Value a, double b) {
    return binary("Div", a, g().scalarLike(a, b));
  }

  /** {@code a / b} with a scalar on the left. */
  default Value div(double a, Value b) {
    return binary("Div", g().scalarLike(b, a), b);
  }

  default Value pow(Value a, Value b) {
    return binary("Pow", a, b);
  }

  default Value pow(Value a, double p) {
    return binary("Pow", a, g().scalarLike(a, p));
  }

  default Value max(Value a, Value b) {
    return binary("Max", a, b);
  }

  default Value min(Value a, Value b) {
    return binary("Min", a, b);
  }

  default Value sqrt(Value x) {
    return unary("Sqrt", x);
  }

  default Value exp(Value x) {
    return unary("Exp", x);
  }

  default Value log(Value x) {
    return unary("Log", x);
  }

  default Value neg(Value x) {
    return unary("Neg", x);
  }

  default Value abs(Value x) {
    return unary("Abs", x);
  }

  default Value reciprocal(Value x) {
    return unary("Reciprocal", x);
  }

  default Value relu(Value x) {
    return unary("Relu", x);
  }

  default Value leakyRelu(Value x, double alpha) {
    return g().apply("LeakyRelu", List.of(x), Graph.attrs("alpha", (float) alpha));
  }

  default Value sigmoid(Value x) {
    return unary("Sigmoid", x);
  }

  default Value tanh(Value x) {
    return unary("Tanh", x);
  }

  default Value erf(Value x) {
    return unary("Erf", x);
  }

  default Value softplus(Value x) {
    return unary("Softplus", x);
  }

  default Value sin(Value x) {
    return unary("Sin", x);
  }

  default Value cos(Value x) {
    return unary("Cos", x);
  }

  default Value sign(Value x) {
    return unary("Sign", x);
  }

  default Value floor(Value x) {
    return unary("Floor", x);
  }

  default Value identity(Value x) {
    return unary("Identity", x);
  }

  /** Clamps {@code x} to [lo, hi]. */
  default Value clip(Value x, double lo, double hi) {
    return g().apply("Clip", List.of(x, g().scalarLike(x, lo), g().scalarLike(x, hi)), Map.of());
  }

  default Value equal(Value a, Value b) {
    return binary("Equal", a, b);
  }

  default Value less(Value a, Value b) {
    return binary("Less", a, b);
  }

  default Value greater(Value a, Value b) {
    return binary("Greater", a, b);
  }

  default Value not(Value x) {
    return unary("Not", x);
  }

  default Value and(Value a, Value b) {
    return binary("And", a, b);
  }

  /** {@code cond ? a : b}, broadcasting all three. */
  default Value where(Value cond, Value a, Value b) {
    return g().apply("Where", List.of(cond, a, b), Map.of());
  }

  // ---- composites ------------------------------------------------------------------------------

  /** {@code x²}. */
  default Value square(Value x) {
    return mul(x, x);
  }

  /** SiLU / swish: {@code x·σ(x)}. */
  default Value silu(Value x) {
    return mul(x, sigmoid(x));
  }

  /** Exact GELU: {@code ½x(1 + erf(x/√2))}. */
  default Value gelu(Value x) {
    return mul(mul(x, 0.5), add(erf(mul(x, 1 / Math.sqrt(2))), 1.0));
  }
}
