package dev.kiln.graph.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.kiln.graph.Attribute;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.GraphException;
import dev.kiln.graph.Kiln;
import dev.kiln.graph.Node;
import dev.kiln.graph.Value;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Graph} as an ONNX {@code ModelProto} (IR 8, opset {@value Kiln#OPSET}). Only nodes
 * that the graph's outputs depend on are written, and only the inputs they read.
 *
 * <p>Parameters become graph inputs (for training graphs) unless {@link #weights} supplies their
 * values, in which case they become initializers (the exported, servable model).
 */
public final class ModelWriter {

  private final Graph graph;
  private final Map<String, TensorProto> weights = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private String docString = "";
  private long externalThreshold = Long.MAX_VALUE;
  private List<String> onlyOutputs;
  private final Map<String, TensorProto> folded = new LinkedHashMap<>();

  private ModelWriter(Graph graph) {
    this.graph = graph;
  }

  /** A writer for {@code graph}. */
  public static ModelWriter of(Graph graph) {
    return new ModelWriter(graph);
  }

  /** Parameter values: parameters with a value here become initializers. */
  public ModelWriter weights(Map<String, TensorProto> values) {
    weights.putAll(values);
    return this;
  }

  /** Adds a {@code metadata_props} entry (recipe, seed, kiln version…). */
  public ModelWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public ModelWriter metadata(Map<String, String> entries) {
    metadata.putAll(entries);
    return this;
  }

  public ModelWriter docString(String doc) {
    this.docString = doc;
    return this;
  }

  /**
   * Writes only the named graph outputs (and the nodes they need), e.g. the forward output of a
   * training graph that also outputs a loss and gradients.
   */
  public ModelWriter onlyOutputs(String... names) {
    for (String n : names) {
      if (graph.outputs().stream().noneMatch(v -> v.name().equals(n))) {
        throw new GraphException("graph " + graph.name() + " has no output `" + n + "`; outputs are "
            + graph.outputs().stream().map(Value::name).toList());
      }
    }
    this.onlyOutputs = List.of(names);
    return this;
  }

  /**
   * Values (by name) whose data is already known: they are written as initializers and the nodes
   * that computed them are left out. Used to fold parameter-only computations (a reparametrised
   * weight) into plain constants for serving.
   */
  public ModelWriter fold(Map<String, TensorProto> values) {
    folded.putAll(values);
    return this;
  }

  private List<Value> outputs() {
    if (onlyOutputs == null) {
      return graph.outputs();
    }
    return graph.outputs().stream().filter(v -> onlyOutputs.contains(v.name())).toList();
  }

  /** Tensors larger than {@code bytes} go to an external data file next to the model when writing to a path. */
  public ModelWriter externalDataAbove(long bytes) {
    this.externalThreshold = bytes;
    return this;
  }

  /** The model with every tensor inline. */
  public ModelProto toProto() {
    return build(null);
  }

  /** Serialised bytes of {@link #toProto()}. */
  public byte[] toBytes() {
    return toProto().toByteArray();
  }

  /**
   * Writes the model to {@code path} (and large tensors to {@code path + ".data"}), each through a
   * temporary file moved into place, so a crash never leaves a half-written model.
   */
  public void write(Path path) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String dataName = path.getFileName() + ".data";
    Path dataTmp = AtomicFiles.temporaryBeside(path, ".data.tmp");
    Path modelTmp = AtomicFiles.temporaryBeside(path, ".onnx.tmp");
    try {
      ExternalSink sink = new ExternalSink(dataName, Files.newOutputStream(dataTmp));
      ModelProto model;
      try (sink.out) {
        model = build(sink);
      }
      try (OutputStream out = Files.newOutputStream(modelTmp)) {
        model.writeTo(out);
      }
      if (sink.offset > 0) {
        AtomicFiles.move(dataTmp, dir.resolve(dataName));
      } else {
        Files.deleteIfExists(dataTmp);
      }
      AtomicFiles.move(modelTmp, path);
    } finally {
      Files.deleteIfExists(dataTmp);
      Files.deleteIfExists(modelTmp);
    }
  }

  /** Collects tensors that go to the external data file. */
  private final class ExternalSink {
    final String location;
    final OutputStream out;
    long offset;

    ExternalSink(String location, OutputStream out) {
      this.location = location;
      this.out = out;
    }

    TensorProto maybeExternalise(TensorProto t) {
      if (t.getRawData().size() <= externalThreshold) {
        return t;
      }
      ByteString raw = t.getRawData();
      try {
        raw.writeTo(out);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      TensorProto ext = t.toBuilder().clearRawData()
          .setDataLocation(TensorProto.DataLocation.EXTERNAL)
          .addExternalData(entry("location", location))
          .addExternalData(entry("offset", Long.toString(offset)))
          .addExternalData(entry("length", Long.toString(raw.size())))
          .build();
      offset += raw.size();
      return ext;
    }
  }

  private static StringStringEntryProto entry(String k, String v) {
    return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  private ModelProto build(ExternalSink sink) {
    if (outputs().isEmpty()) {
      throw new GraphException("graph " + graph.name() + " has no outputs to write");
    }
    List<Node> live = liveNodes();
    Set<Value> used = new LinkedHashSet<>(outputs());
    for (Node n : live) {
      for (Value v : n.inputs()) {
        if (v != null) {
          used.add(v);
        }
      }
    }
    GraphProto.Builder g = GraphProto.newBuilder().setName(graph.name()).setDocString(graph.docString());
    for (Value in : graph.inputs()) {
      if (used.contains(in)) {
        g.addInput(valueInfo(in));
      }
    }
    for (Value p : graph.parameters()) {
      if (!used.contains(p)) {
        continue;
      }
      TensorProto w = weights.get(p.name());
      if (w == null) {
        g.addInput(valueInfo(p));
      } else {
        checkWeight(p, w);
        TensorProto named = w.toBuilder().setName(p.name()).build();
        g.addInitializer(sink == null ? named : sink.maybeExternalise(named));
      }
    }
    for (Value c : graph.constants()) {
      if (used.contains(c)) {
        g.addInitializer(sink == null ? c.constantValue() : sink.maybeExternalise(c.constantValue()));
      }
    }
    for (Value v : used) {
      TensorProto data = folded.get(v.name());
      if (data != null && v.kind() == Value.Kind.NODE_OUTPUT) {
        checkWeight(v, data);
        TensorProto named = data.toBuilder().setName(v.name()).build();
        g.addInitializer(sink == null ? named : sink.maybeExternalise(named));
      }
    }
    boolean microsoft = false;
    for (Node n : live) {
      g.addNode(node(n));
      microsoft |= n.domain().equals("com.microsoft");
    }
    for (Value out : outputs()) {
      g.addOutput(valueInfo(out));
    }
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(Kiln.IR_VERSION)
        .setProducerName("kiln")
        .setProducerVersion(Kiln.version())
        .setDocString(docString)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(Kiln.OPSET))
        .setGraph(g);
    if (microsoft) {
      m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("kiln_version", Kiln.version());
    meta.putAll(metadata);
    meta.forEach((k, v) -> m.addMetadataProps(entry(k, v)));
    return m.build();
  }

  private static void checkWeight(Value p, TensorProto w) {
    List<Long> expected = new ArrayList<>();
    for (long s : p.shape().sizes()) {
      expected.add(s);
    }
    if (!expected.equals(w.getDimsList()) || w.getDataType() != p.dtype().onnxCode()) {
      throw new GraphException("weight for parameter `" + p.name() + "` has type " + w.getDataType() + " dims "
          + w.getDimsList() + ", expected " + p.type());
    }
  }

  /** Nodes the outputs depend on, in graph order. */
  private List<Node> liveNodes() {
    Set<Node> needed = new LinkedHashSet<>();
    List<Value> stack = new ArrayList<>(outputs());
    while (!stack.isEmpty()) {
      Value v = stack.remove(stack.size() - 1);
      Node p = v.producer();
      if (p != null && !folded.containsKey(v.name()) && needed.add(p)) {
        for (Value in : p.inputs()) {
          if (in != null) {
            stack.add(in);
          }
        }
      }
    }
    List<Node> ordered = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (needed.contains(n)) {
        ordered.add(n);
      }
    }
    return ordered;
  }

  static ValueInfoProto valueInfo(Value v) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Dim d : v.shape().dims()) {
      shape.addDim(d.isStatic()
          ? TensorShapeProto.Dimension.newBuilder().setDimValue(d.size())
          : TensorShapeProto.Dimension.newBuilder().setDimParam(d.toString()));
    }
    TypeProto type = TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(v.dtype().onnxCode()).setShape(shape)).build();
    return ValueInfoProto.newBuilder().setName(v.name()).setType(type).build();
  }

  private static NodeProto node(Node n) {
    NodeProto.Builder b = NodeProto.newBuilder().setName(n.name()).setOpType(n.opType()).setDomain(n.domain());
    List<Value> ins = new ArrayList<>(n.inputs());
    while (!ins.isEmpty() && ins.get(ins.size() - 1) == null) {
      ins.remove(ins.size() - 1);
    }
    for (Value in : ins) {
      b.addInput(in == null ? "" : in.name());
    }
    for (Value out : n.outputs()) {
      b.addOutput(out.name());
    }
    n.attributes().forEach((k, a) -> b.addAttribute(attribute(k, a)));
    return b.build();
  }

  private static AttributeProto attribute(String name, Attribute a) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
    if (a instanceof Attribute.Int i) {
      b.setType(AttributeProto.AttributeType.INT).setI(i.value());
    } else if (a instanceof Attribute.Float f) {
      b.setType(AttributeProto.AttributeType.FLOAT).setF(f.value());
    } else if (a instanceof Attribute.Str s) {
      b.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s.value()));
    } else if (a instanceof Attribute.Ints is) {
      b.setType(AttributeProto.AttributeType.INTS);
      for (long v : is.value()) {
        b.addInts(v);
      }
    } else if (a instanceof Attribute.Floats fs) {
      b.setType(AttributeProto.AttributeType.FLOATS);
      for (float v : fs.value()) {
        b.addFloats(v);
      }
    } else if (a instanceof Attribute.Tensor t) {
      b.setType(AttributeProto.AttributeType.TENSOR).setT(t.value());
    } else if (a instanceof Attribute.SubGraph sg) {
      b.setType(AttributeProto.AttributeType.GRAPH).setG(sg.value());
    }
    return b.build();
  }
}
