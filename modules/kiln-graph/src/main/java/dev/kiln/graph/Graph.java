package dev.kiln.graph;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.onnx.TensorProtos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mutable ONNX graph under construction. Declare inputs with {@link #input}, trainable weights with
 * {@link #parameter}, and apply operators with the typed helpers inherited from the op families
 * ({@link ElementwiseOps}, {@link ShapeOps}, {@link ReduceOps}, {@link IndexOps}, {@link NnOps}).
 * Every node's output types are inferred as it is added; a mismatch throws a {@link GraphException}
 * naming the node and the shapes.
 *
 * <p>Floating-point parameters and scalar constants take the graph's {@link #floatType()}, so one
 * model definition builds a float32 graph for training and a float64 graph for gradient checks.
 */
public final class Graph implements ElementwiseOps, ShapeOps, ReduceOps, IndexOps, NnOps {

  private final String name;
  private final DType floatType;
  private final List<Value> inputs = new ArrayList<>();
  private final List<Value> parameters = new ArrayList<>();
  private final List<Value> constants = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Value> outputs = new ArrayList<>();
  private final Map<String, Value> values = new HashMap<>();
  private final Map<String, Integer> nameCounters = new HashMap<>();
  private final Map<String, Value> constantCache = new HashMap<>();
  private final Deque<String> scopes = new ArrayDeque<>();
  private final java.util.Set<Value> stopped = new java.util.HashSet<>();
  private final java.util.Set<Value> buffers = new java.util.LinkedHashSet<>();
  private final Map<Value, Value> bufferUpdates = new LinkedHashMap<>();
  private final List<InitHook> initHooks = new ArrayList<>();
  private String docString = "";

  /** A float32 graph. */
  public Graph(String name) {
    this(name, DType.FLOAT);
  }

  /** A graph whose parameters and scalar constants use {@code floatType} (FLOAT or DOUBLE). */
  public Graph(String name, DType floatType) {
    if (!floatType.isFloating()) {
      throw new IllegalArgumentException("graph float type must be FLOAT or DOUBLE, got " + floatType);
    }
    this.name = name;
    this.floatType = floatType;
  }

  public String name() {
    return name;
  }

  public DType floatType() {
    return floatType;
  }

  public String docString() {
    return docString;
  }

  public Graph docString(String doc) {
    this.docString = doc;
    return this;
  }

  // ---- declarations ----------------------------------------------------------------------------

  /** Declares a graph input. */
  public Value input(String name, DType dtype, Shape shape) {
    checkFree(name);
    Value v = new Value(this, name, dtype, shape, Value.Kind.INPUT, null, 0, null, null, null);
    inputs.add(v);
    values.put(name, v);
    return v;
  }

  /** Declares a float input of the graph's float type. */
  public Value input(String name, Shape shape) {
    return input(name, floatType, shape);
  }

  /** Declares a trainable parameter {@code <scope>.<name>} with fans taken from its shape. */
  public Value parameter(String name, Shape shape, Init init) {
    return parameter(name, shape, init, Fans.of(shape));
  }

  /** Declares a trainable parameter {@code <scope>.<name>} with explicit fans. */
  public Value parameter(String name, Shape shape, Init init, Fans fans) {
    if (!shape.isStatic()) {
      throw new GraphException("parameter `" + scoped(name) + "` needs a static shape, got " + shape);
    }
    String full = scoped(name);
    checkFree(full);
    Value v = new Value(this, full, floatType, shape, Value.Kind.PARAMETER, null, 0, null, init, fans);
    parameters.add(v);
    values.put(full, v);
    return v;
  }

  /**
   * Declares a buffer {@code <scope>.<name>}: state that is initialised, checkpointed and exported
   * like a parameter but never trained (a power-iteration vector, running statistics). Training
   * writes the value registered with {@link #updateBuffer} back into it after every step.
   */
  public Value buffer(String name, Shape shape, Init init) {
    Value v = parameter(name, shape, init);
    buffers.add(v);
    return v;
  }

  /** After each training step, {@code buffer} takes the value of {@code next} (treated as a constant). */
  public void updateBuffer(Value buffer, Value next) {
    if (!buffers.contains(buffer)) {
      throw new GraphException("`" + buffer.name() + "` is not a buffer of graph " + name);
    }
    if (!buffer.type().equals(next.type())) {
      throw new GraphException("buffer `" + buffer.name() + "` is " + buffer.type() + " but its update is "
          + next.type());
    }
    bufferUpdates.put(buffer, stopGradient(next));
  }

  /** Whether {@code v} is a buffer. */
  public boolean isBuffer(Value v) {
    return buffers.contains(v);
  }

  /** Parameters that are trained: every parameter except the buffers. */
  public List<Value> trainableParameters() {
    return parameters.stream().filter(p -> !buffers.contains(p)).toList();
  }

  /** Buffer → the value it takes after a training step. */
  public Map<Value, Value> bufferUpdates() {
    return Collections.unmodifiableMap(bufferUpdates);
  }

  /**
   * Adjusts freshly sampled initial values (by parameter name) before training starts, for
   * initialisations that depend on other parameters (e.g. a power-iteration vector from its weight).
   */
  @FunctionalInterface
  public interface InitHook {
    void apply(Map<String, double[]> values);
  }

  /** Registers an {@link InitHook}; hooks run in registration order after every parameter is sampled. */
  public void afterInit(InitHook hook) {
    initHooks.add(hook);
  }

  public List<InitHook> initHooks() {
    return Collections.unmodifiableList(initHooks);
  }

  /** A constant tensor with the given data. */
  public Value constant(TensorProto data) {
    DType dtype = DType.fromOnnx(data.getDataType());
    Shape shape = Shape.of(data.getDimsList().stream().mapToLong(Long::longValue).toArray());
    String key = null;
    if (shape.isStatic() && shape.size() <= 16) {
      key = dtype + shape.toString() + Arrays.toString(TensorProtos.toDoubles(data));
      Value cached = constantCache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    String cname = uniqueName(data.getName().isEmpty() ? "const" : data.getName());
    TensorProto named = data.toBuilder().setName(cname).build();
    Value v = new Value(this, cname, dtype, shape, Value.Kind.CONSTANT, null, 0, named, null, null);
    constants.add(v);
    values.put(cname, v);
    if (key != null) {
      constantCache.put(key, v);
    }
    return v;
  }

  /** A constant of type {@code dtype} and shape {@code shape} holding {@code data} (row-major). */
  public Value constant(DType dtype, Shape shape, double... data) {
    return constant(TensorProtos.of(dtype, shape.sizes(), data));
  }

  /** A rank-1 int64 constant (axes, shapes, indices). */
  public Value constantLongs(long... data) {
    return constant(TensorProtos.ofLongs(new long[] {data.length}, data));
  }

  /** A scalar of the graph's float type. */
  public Value scalar(double v) {
    return scalar(floatType, v);
  }

  /** A scalar of type {@code dtype}. */
  public Value scalar(DType dtype, double v) {
    return constant(dtype, Shape.scalar(), v);
  }

  /** A scalar of the same type as {@code like}. */
  public Value scalarLike(Value like, double v) {
    return scalar(like.dtype(), v);
  }

  /** Marks {@code v} as a graph output named {@code outputName} (adding an Identity if renamed). */
  public Value output(String outputName, Value v) {
    Value out = v;
    if (!v.name().equals(outputName) || v.kind() != Value.Kind.NODE_OUTPUT || outputs.contains(v)) {
      checkFree(outputName);
      Node n = new Node("Identity", "", uniqueName("Identity"), currentScope(), List.of(v), Map.of());
      out = new Value(this, outputName, v.dtype(), v.shape(), Value.Kind.NODE_OUTPUT, n, 0, null, null, null);
      n.addOutput(out);
      nodes.add(n);
      values.put(outputName, out);
    }
    outputs.add(out);
    return out;
  }

  /**
   * The same value with gradient flow cut: differentiation treats the result as a constant
   * (PyTorch's {@code detach}, JAX's {@code stop_gradient}). Written to ONNX as an Identity.
   */
  public Value stopGradient(Value v) {
    Value out = apply("Identity", List.of(v), Map.of());
    stopped.add(out);
    return out;
  }

  /** Whether {@code v} came from {@link #stopGradient}. */
  public boolean isGradientStopped(Value v) {
    return stopped.contains(v);
  }

  /** Enters a name scope; parameters and nodes created inside are prefixed with it. */
  public Scope scope(String part) {
    scopes.addLast(part);
    return new Scope();
  }

  /** A name scope; closing it leaves the scope. */
  public final class Scope implements AutoCloseable {
    private Scope() {}

    @Override
    public void close() {
      scopes.removeLast();
    }
  }

  // ---- nodes -----------------------------------------------------------------------------------

  /** Applies an {@code ai.onnx} operator with one output. */
  public Value apply(String opType, List<Value> inputs, Map<String, Attribute> attributes) {
    return apply("", opType, inputs, attributes, 1).get(0);
  }

  /** Applies an operator from {@code domain} with {@code outputCount} outputs; types are inferred. */
  public List<Value> apply(String domain, String opType, List<Value> inputs, Map<String, Attribute> attributes,
      int outputCount) {
    for (Value in : inputs) {
      if (in != null && in.graph() != this) {
        throw new GraphException(opType + ": input " + in.name() + " belongs to graph " + in.graph().name()
            + ", not " + name);
      }
    }
    String scope = currentScope();
    Node node = new Node(opType, domain, uniqueName(scope.isEmpty() ? opType : scope + "/" + opType), scope,
        inputs, attributes);
    List<TensorType> types = ShapeRules.infer(node, outputCount);
    for (int i = 0; i < outputCount; i++) {
      TensorType t = types.get(i);
      String vname = outputCount == 1 ? node.name() : node.name() + ":" + i;
      if (values.containsKey(vname)) {
        vname = uniqueName(vname);
      }
      Value v = new Value(this, vname, t.dtype(), t.shape(), Value.Kind.NODE_OUTPUT, node, i, null,
          null, null);
      node.addOutput(v);
      values.put(v.name(), v);
    }
    nodes.add(node);
    return node.outputs();
  }

  /**
   * Applies an operator whose outputs take the given names (used when reading a model back, so value
   * names survive the round trip).
   */
  public List<Value> applyNamed(String domain, String opType, String nodeName, List<Value> inputs,
      Map<String, Attribute> attributes, List<String> outputNames) {
    String scope = currentScope();
    String nname = nodeName == null || nodeName.isEmpty() || nameCounters.containsKey(nodeName)
        ? uniqueName(opType) : nodeName;
    nameCounters.putIfAbsent(nname, 1);
    Node node = new Node(opType, domain, nname, scope, inputs, attributes);
    List<TensorType> types = ShapeRules.infer(node, outputNames.size());
    for (int i = 0; i < outputNames.size(); i++) {
      checkFree(outputNames.get(i));
      TensorType t = types.get(i);
      Value v = new Value(this, outputNames.get(i), t.dtype(), t.shape(), Value.Kind.NODE_OUTPUT, node, i, null,
          null, null);
      node.addOutput(v);
      values.put(v.name(), v);
    }
    nodes.add(node);
    return node.outputs();
  }

  /** Attributes map builder: {@code attrs("axis", 1L, "keepdims", 0L)}. */
  public static Map<String, Attribute> attrs(Object... keyValues) {
    Map<String, Attribute> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      String k = (String) keyValues[i];
      Object v = keyValues[i + 1];
      m.put(k, toAttribute(k, v));
    }
    return m;
  }

  private static Attribute toAttribute(String key, Object v) {
    if (v instanceof Attribute a) {
      return a;
    } else if (v instanceof Long l) {
      return Attribute.of(l.longValue());
    } else if (v instanceof Integer n) {
      return Attribute.of(n.longValue());
    } else if (v instanceof Float f) {
      return Attribute.of(f.floatValue());
    } else if (v instanceof Double d) {
      return Attribute.of(d.floatValue());
    } else if (v instanceof String s) {
      return Attribute.of(s);
    } else if (v instanceof long[] ls) {
      return Attribute.of(ls);
    } else if (v instanceof int[] is) {
      return Attribute.ofInts(is);
    } else if (v instanceof float[] fs) {
      return new Attribute.Floats(fs.clone());
    }
    throw new IllegalArgumentException("unsupported attribute value for " + key + ": " + v);
  }

  // ---- queries ---------------------------------------------------------------------------------

  /**
   * Every operator type a graph can build: the keys of the shape-rule registry, so there is one op
   * list. {@code ai.onnx} operators appear by name, others qualified by domain (see
   * {@link Node#qualifiedOpType()}). Autodiff's coverage test enumerates this set.
   */
  public static Set<String> operatorTypes() {
    return ShapeRules.ops();
  }

  public List<Value> inputs() {
    return Collections.unmodifiableList(inputs);
  }

  public List<Value> parameters() {
    return Collections.unmodifiableList(parameters);
  }

  public List<Value> constants() {
    return Collections.unmodifiableList(constants);
  }

  /** Nodes in creation order, which is a topological order. */
  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  public List<Value> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  /** The value named {@code name}; throws if there is none. */
  public Value value(String valueName) {
    Value v = values.get(valueName);
    if (v == null) {
      throw new GraphException("graph " + name + " has no value named `" + valueName + "`");
    }
    return v;
  }

  /** Whether a value of this name exists. */
  public boolean has(String valueName) {
    return values.containsKey(valueName);
  }

  /** Removes every output declaration (the nodes stay); used when a graph is extended. */
  public void clearOutputs() {
    outputs.clear();
  }

  /** Total number of trainable scalars. */
  public long parameterCount() {
    return parameters.stream().mapToLong(p -> p.shape().size()).sum();
  }

  // ---- naming ----------------------------------------------------------------------------------

  String currentScope() {
    return String.join(".", scopes);
  }

  private String scoped(String part) {
    String s = currentScope();
    return s.isEmpty() ? part : s + "." + part;
  }

  private void checkFree(String valueName) {
    if (values.containsKey(valueName)) {
      throw new GraphException("graph " + name + " already has a value named `" + valueName + "`");
    }
  }

  /** {@code base}, or {@code base_2}, {@code base_3}… whichever is free. */
  String uniqueName(String base) {
    if (!values.containsKey(base) && !nameCounters.containsKey(base)) {
      nameCounters.put(base, 1);
      return base;
    }
    int n = nameCounters.getOrDefault(base, 1);
    String candidate;
    do {
      n++;
      candidate = base + "_" + n;
    } while (values.containsKey(candidate) || nameCounters.containsKey(candidate));
    nameCounters.put(base, n);
    return candidate;
  }
}
