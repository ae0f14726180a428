package dev.kiln.graph;

import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * A symbolic tensor in a {@link Graph}: a graph input, a trainable parameter, a constant, or an
 * output of a node. Values are compared by identity.
 */
public final class Value {

  /** Where a value comes from. */
  public enum Kind { INPUT, PARAMETER, CONSTANT, NODE_OUTPUT }

  private final Graph graph;
  private final String name;
  private final DType dtype;
  private final Shape shape;
  private final Kind kind;
  private final Node producer;
  private final int outputIndex;
  private final TensorProto constant;
  private final Init init;
  private final Fans fans;

  Value(Graph graph, String name, DType dtype, Shape shape, Kind kind, Node producer, int outputIndex,
      TensorProto constant, Init init, Fans fans) {
    this.graph = graph;
    this.name = name;
    this.dtype = dtype;
    this.shape = shape;
    this.kind = kind;
    this.producer = producer;
    this.outputIndex = outputIndex;
    this.constant = constant;
    this.init = init;
    this.fans = fans;
  }

  public Graph graph() {
    return graph;
  }

  /** The unique name of this value in its graph (the ONNX value name). */
  public String name() {
    return name;
  }

  public DType dtype() {
    return dtype;
  }

  public Shape shape() {
    return shape;
  }

  public int rank() {
    return shape.rank();
  }

  public Kind kind() {
    return kind;
  }

  /** The node that computes this value, or null for inputs, parameters and constants. */
  public Node producer() {
    return producer;
  }

  /** Which output of {@link #producer()} this is. */
  public int outputIndex() {
    return outputIndex;
  }

  /** The data of a constant, or null. */
  public TensorProto constantValue() {
    return constant;
  }

  /** How a parameter is initialised, or null for other kinds. */
  public Init init() {
    return init;
  }

  /** Fan-in and fan-out used by a parameter's initialiser, or null for other kinds. */
  public Fans fans() {
    return fans;
  }

  public boolean isParameter() {
    return kind == Kind.PARAMETER;
  }

  public boolean isConstant() {
    return kind == Kind.CONSTANT;
  }

  /** The type as a record. */
  public TensorType type() {
    return new TensorType(dtype, shape);
  }

  @Override
  public String toString() {
    return name + ":" + dtype.name().toLowerCase(java.util.Locale.ROOT) + shape;
  }
}
