package dev.kiln.graph.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.graph.Attribute;
import dev.kiln.graph.DType;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.GraphException;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an ONNX model back into a {@link Graph}, resolving external data. */
public final class ModelReader {

  /**
   * A model read from disk.
   *
   * @param graph the graph; initializers appear as constants under their ONNX names
   * @param initializers initializer data by name (external data loaded)
   * @param metadata the {@code metadata_props}
   * @param proto the model with external data inlined
   */
  public record LoadedModel(Graph graph, Map<String, TensorProto> initializers, Map<String, String> metadata,
      ModelProto proto) {}

  private ModelReader() {}

  /**
   * Reads {@code path} as hostile input; every way the file can be wrong (not protobuf, a graph that does
   * not hold together, external data outside the model's folder or past the end of its file) is an
   * {@link IOException} naming the file and what is wrong.
   */
  public static LoadedModel read(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      throw new IOException(path + " is a folder; give the .onnx file inside it");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path.toString(), null, "model file does not exist");
    }
    return read(bytes, path);
  }

  /** Reads model bytes that came from {@code path} (external data is looked up beside it), as hostile input. */
  public static LoadedModel read(byte[] bytes, Path path) throws IOException {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(path + ": not an ONNX model (" + e.getMessage() + ")", e);
    }
    if (!proto.hasGraph()) {
      throw new IOException(path + ": not an ONNX model (it has no graph)");
    }
    try {
      return fromProto(inlineExternalData(proto, path.toAbsolutePath().getParent(), path), path.toString());
    } catch (GraphException e) {
      throw new IOException(e.getMessage(), e);
    } catch (RuntimeException | StackOverflowError e) {
      // Protobuf accepts many byte strings; a graph built from one that is not a model fails in any of the
      // graph's own checks, and all of them mean the same thing here.
      throw new IOException(path + ": not a usable ONNX model (" + (e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()) + ")", e);
    }
  }

  /** Builds a graph from an in-memory model whose tensors are all inline. */
  public static LoadedModel fromProto(ModelProto proto, String origin) {
    for (OperatorSetIdProto op : proto.getOpsetImportList()) {
      if (op.getDomain().isEmpty() && op.getVersion() > 23) {
        throw new GraphException(origin + ": opset " + op.getVersion() + " is newer than ONNX Runtime 1.23 accepts");
      }
    }
    var gp = proto.getGraph();
    DType floatType = DType.FLOAT;
    for (ValueInfoProto in : gp.getInputList()) {
      if (in.getType().getTensorType().getElemType() == DType.DOUBLE.onnxCode()) {
        floatType = DType.DOUBLE;
      }
    }
    Graph g = new Graph(gp.getName().isEmpty() ? "model" : gp.getName(), floatType);
    g.docString(gp.getDocString());
    Map<String, Value> byName = new HashMap<>();
    Map<String, TensorProto> inits = new LinkedHashMap<>();
    for (TensorProto t : gp.getInitializerList()) {
      inits.put(t.getName(), t);
      byName.put(t.getName(), g.constant(t));
    }
    for (ValueInfoProto in : gp.getInputList()) {
      if (!inits.containsKey(in.getName())) {
        byName.put(in.getName(), g.input(in.getName(), elemType(in, origin), shape(in)));
      }
    }
    for (NodeProto n : gp.getNodeList()) {
      List<Value> ins = new ArrayList<>();
      for (String name : n.getInputList()) {
        if (name.isEmpty()) {
          ins.add(null);
        } else {
          Value v = byName.get(name);
          if (v == null) {
            throw new GraphException(origin + ": node " + n.getName() + " (" + n.getOpType() + ") reads `" + name
                + "`, which no earlier node, input or initializer defines");
          }
          ins.add(v);
        }
      }
      Map<String, Attribute> attrs = new LinkedHashMap<>();
      for (AttributeProto a : n.getAttributeList()) {
        attrs.put(a.getName(), attribute(a, origin, n));
      }
      List<Value> outs = g.applyNamed(n.getDomain(), n.getOpType(), n.getName(), ins, attrs, n.getOutputList());
      for (Value v : outs) {
        byName.put(v.name(), v);
      }
    }
    for (ValueInfoProto out : gp.getOutputList()) {
      Value v = byName.get(out.getName());
      if (v == null) {
        throw new GraphException(origin + ": graph output `" + out.getName() + "` is never computed");
      }
      g.output(out.getName(), v);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (StringStringEntryProto e : proto.getMetadataPropsList()) {
      meta.put(e.getKey(), e.getValue());
    }
    return new LoadedModel(g, inits, meta, proto);
  }

  private static DType elemType(ValueInfoProto v, String origin) {
    try {
      return DType.fromOnnx(v.getType().getTensorType().getElemType());
    } catch (IllegalArgumentException e) {
      throw new GraphException(origin + ": input `" + v.getName() + "`: " + e.getMessage());
    }
  }

  private static Shape shape(ValueInfoProto v) {
    List<Dim> dims = new ArrayList<>();
    for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
      if (d.hasDimValue()) {
        dims.add(Dim.of(d.getDimValue()));
      } else if (!d.getDimParam().isEmpty()) {
        dims.add(Dim.parse(d.getDimParam()));
      } else {
        dims.add(Dim.unknown());
      }
    }
    return new Shape(dims);
  }

  private static Attribute attribute(AttributeProto a, String origin, NodeProto n) {
    return switch (a.getType()) {
      case INT -> new Attribute.Int(a.getI());
      case FLOAT -> new Attribute.Float(a.getF());
      case STRING -> new Attribute.Str(a.getS().toStringUtf8());
      case INTS -> new Attribute.Ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
      case FLOATS -> {
        float[] f = new float[a.getFloatsCount()];
        for (int i = 0; i < f.length; i++) {
          f[i] = a.getFloats(i);
        }
        yield new Attribute.Floats(f);
      }
      case TENSOR -> new Attribute.Tensor(a.getT());
      case GRAPH -> new Attribute.SubGraph(a.getG());
      default -> throw new GraphException(origin + ": node " + n.getName() + " attribute `" + a.getName()
          + "` has unsupported type " + a.getType());
    };
  }

  private static ModelProto inlineExternalData(ModelProto proto, Path dir, Path modelPath) throws IOException {
    boolean any = proto.getGraph().getInitializerList().stream()
        .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
    if (!any) {
      return proto;
    }
    var g = proto.getGraph().toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      TensorProto t = g.getInitializer(i);
      if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
        continue;
      }
      Map<String, String> ext = new HashMap<>();
      t.getExternalDataList().forEach(e -> ext.put(e.getKey(), e.getValue()));
      String location = ext.get("location");
      String where = modelPath + ": initializer `" + t.getName() + "` has external location `" + location + "`";
      Path file = location == null || location.indexOf('\0') >= 0 ? null : dir.resolve(location).normalize();
      if (file == null || !file.startsWith(dir)) {
        throw new IOException(where + " outside the model's folder; Kiln reads external data only from files beside"
            + " the model");
      }
      if (!Files.isRegularFile(file)) {
        throw new IOException(where + ", which is not a file beside the model; copy the model with its data files");
      }
      // A link inside the folder may still point out of it.
      if (!file.toRealPath().startsWith(dir.toRealPath())) {
        throw new IOException(where + ", a link that leads outside the model's folder; Kiln does not follow it");
      }
      long size = Files.size(file);
      long offset = number(ext.getOrDefault("offset", "0"), where, "offset");
      long length = number(ext.getOrDefault("length", Long.toString(size - offset)), where, "length");
      if (offset > size || length > size - offset || length > Integer.MAX_VALUE - 16) {
        throw new IOException(where + ": offset " + offset + " and length " + length + " do not fit its " + size
            + " bytes; the data file is truncated or belongs to another model");
      }
      byte[] data = new byte[(int) length];
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        raf.seek(offset);
        raf.readFully(data);
      } catch (IOException e) {
        throw new IOException(modelPath + ": cannot read external data of `" + t.getName() + "` from " + file + ": "
            + e.getMessage(), e);
      }
      g.setInitializer(i, t.toBuilder().clearExternalData().clearDataLocation()
          .setRawData(ByteString.copyFrom(data)).build());
    }
    return proto.toBuilder().setGraph(g).build();
  }

  private static long number(String text, String where, String field) throws IOException {
    try {
      long v = Long.parseLong(text.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IOException(where + ": its `" + field + "` must be a non-negative integer, got `" + text + "`");
    }
  }
}
