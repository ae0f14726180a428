package dev.kiln.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One ONNX operator application in a {@link Graph}. */
public final class Node {

  private final String opType;
  private final String domain;
  private final String name;
  private final String scope;
  private final List<Value> inputs;
  private final Map<String, Attribute> attributes;
  private final List<Value> outputs = new ArrayList<>();

  Node(String opType, String domain, String name, String scope, List<Value> inputs,
      Map<String, Attribute> attributes) {
    this.opType = opType;
    this.domain = domain;
    this.name = name;
    this.scope = scope;
    this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public String opType() {
    return opType;
  }

  /** The operator domain: empty for {@code ai.onnx}, else e.g. {@code com.microsoft}. */
  public String domain() {
    return domain;
  }

  /**
   * The operator's key in Kiln's op set ({@link Graph#operatorTypes()}): the bare type for
   * {@code ai.onnx} ({@code MatMul}), {@code domain.type} otherwise ({@code com.microsoft.FusedMatMul}).
   */
  public String qualifiedOpType() {
    return domain.isEmpty() ? opType : domain + "." + opType;
  }

  /** The unique node name. */
  public String name() {
    return name;
  }

  /** The scope the node was created in ({@code enc.0.attn.q}), empty at top level. */
  public String scope() {
    return scope;
  }

  /** Inputs in ONNX order; an omitted optional input is null. */
  public List<Value> inputs() {
    return inputs;
  }

  /** Input {@code i}, or null if absent. */
  public Value input(int i) {
    return i < inputs.size() ? inputs.get(i) : null;
  }

  public List<Value> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  public Value output(int i) {
    return outputs.get(i);
  }

  void addOutput(Value v) {
    outputs.add(v);
  }

  public Map<String, Attribute> attributes() {
    return attributes;
  }

  /** Integer attribute, or {@code fallback} when absent. */
  public long attrInt(String key, long fallback) {
    Attribute a = attributes.get(key);
    return a instanceof Attribute.Int i ? i.value() : fallback;
  }

  /** Float attribute, or {@code fallback} when absent. */
  public float attrFloat(String key, float fallback) {
    Attribute a = attributes.get(key);
    return a instanceof Attribute.Float f ? f.value() : fallback;
  }

  /** String attribute, or {@code fallback} when absent. */
  public String attrString(String key, String fallback) {
    Attribute a = attributes.get(key);
    return a instanceof Attribute.Str s ? s.value() : fallback;
  }

  /** Integer-list attribute, or null when absent. */
  public long[] attrInts(String key) {
    Attribute a = attributes.get(key);
    return a instanceof Attribute.Ints i ? i.value().clone() : null;
  }

  /** How errors refer to this node: {@code MatMul `enc.0.attn.q`}. */
  public String describe() {
    return opType + " `" + (scope.isEmpty() ? name : scope) + "`";
  }

  /** A build error about this node. */
  public GraphException error(String message) {
    return new GraphException(describe() + ": " + message);
  }

  @Override
  public String toString() {
    return name + " = " + opType + inputs.stream().map(v -> v == null ? "_" : v.name()).toList();
  }
}
