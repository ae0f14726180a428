package dev.kiln.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol's infer request and response: JSON with {@code data} lists, or the binary
 * tensor data extension (a JSON header of {@code Inference-Header-Content-Length} bytes followed by each
 * binary tensor's raw little-endian bytes, in order, sized by its {@code parameters.binary_data_size}).
 * Every check of a request names the field it failed on.
 */
final class InferCodec {

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A checked infer request.
   *
   * @param id the client's request id (echoed back), or null
   * @param inputs the inputs by name, each of the model's type and shape
   * @param outputs the outputs asked for (all, when the request names none), in order
   * @param binary the outputs to return as binary data
   */
  record Request(String id, Map<String, Tensor> inputs, Set<String> outputs, Set<String> binary) {}

  private InferCodec() {}

  /**
   * Reads a JSON object; a 400 if it is not one. The body is decoded strictly as UTF-8 (the protocol's
   * encoding), so bytes that would make the parser guess another encoding are a bad request, not a failure.
   */
  static JsonNode object(byte[] body, String what) {
    String text;
    try {
      text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw ApiException.badRequest(what + " is not UTF-8 text");
    }
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest(what + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw ApiException.badRequest(what + " must be a JSON object");
    }
    return n;
  }

  /** Parses and checks a request against the model; {@code headerLength} is the binary extension's header. */
  static Request parse(byte[] body, Integer headerLength, ServedModel model, long maxElements) {
    int jsonLength = headerLength != null ? headerLength : body.length;
    if (jsonLength < 0 || jsonLength > body.length) {
      throw ApiException.badRequest("Inference-Header-Content-Length: " + jsonLength + " is outside the body's "
          + body.length + " bytes");
    }
    JsonNode req = object(Arrays.copyOf(body, jsonLength), "the request body");
    ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    JsonNode inputs = req.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw ApiException.badRequest("`inputs` must be a non-empty list of {name, shape, datatype, data}");
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode in = inputs.get(i);
      String field = "inputs[" + i + "]";
      String name = text(in, "name", field);
      TensorSpec spec = model.input(name);
      if (spec == null) {
        throw ApiException.badRequest(field + ".name: model `" + model.name() + "` has no input `" + name
            + "`; its inputs are " + model.inputs());
      }
      if (tensors.containsKey(name)) {
        throw ApiException.badRequest(field + ".name: input `" + name + "` is given twice");
      }
      tensors.put(name, tensor(in, spec, "input `" + name + "`", binary, maxElements));
    }
    for (TensorSpec s : model.inputs()) {
      if (!tensors.containsKey(s.name())) {
        throw ApiException.badRequest("inputs: missing input `" + s.name() + "` (" + s + ")");
      }
    }
    if (binary.hasRemaining()) {
      throw ApiException.badRequest("the body has " + binary.remaining() + " binary bytes no input claims");
    }
    checkBatch(tensors, model);
    Set<String> outputs = new LinkedHashSet<>();
    Set<String> binaryOut = new LinkedHashSet<>();
    boolean allBinary = req.path("parameters").path("binary_data_output").asBoolean(false);
    JsonNode outs = req.get("outputs");
    if (outs != null && !outs.isArray()) {
      throw ApiException.badRequest("`outputs` must be a list of {name}");
    }
    if (outs == null || outs.isEmpty()) {
      model.outputs().forEach(o -> outputs.add(o.name()));
      if (allBinary) {
        binaryOut.addAll(outputs);
      }
    } else {
      for (int i = 0; i < outs.size(); i++) {
        String name = text(outs.get(i), "name", "outputs[" + i + "]");
        if (model.outputs().stream().noneMatch(o -> o.name().equals(name))) {
          throw ApiException.badRequest("outputs[" + i + "].name: model `" + model.name() + "` has no output `" + name
              + "`; its outputs are " + model.outputs());
        }
        outputs.add(name);
        if (outs.get(i).path("parameters").path("binary_data").asBoolean(allBinary)) {
          binaryOut.add(name);
        }
      }
    }
    JsonNode id = req.get("id");
    return new Request(id == null || id.isNull() ? null : id.asText(), tensors, outputs, binaryOut);
  }

  private static void checkBatch(Map<String, Tensor> tensors, ServedModel model) {
    long batch = -1;
    String first = null;
    for (TensorSpec s : model.inputs()) {
      if (s.batched()) {
        long n = tensors.get(s.name()).dim(0);
        if (batch >= 0 && n != batch) {
          throw ApiException.badRequest("input `" + s.name() + "`: batch size " + n + " differs from input `" + first
              + "`'s " + batch);
        }
        batch = n;
        first = s.name();
      }
    }
    if (batch == 0) {
      throw ApiException.badRequest("input `" + first + "`: the batch is empty");
    }
  }

  private static String text(JsonNode n, String key, String field) {
    JsonNode v = n == null ? null : n.get(key);
    if (v == null || !v.isTextual()) {
      throw ApiException.badRequest(field + "." + key + " must be a string");
    }
    return v.asText();
  }

  /** One input tensor, checked against the model's spec. */
  private static Tensor tensor(JsonNode in, TensorSpec spec, String field, ByteBuffer binary, long maxElements) {
    DType dtype = Datatypes.parse(in.path("datatype").isTextual() ? in.get("datatype").asText() : null,
        field + ".datatype");
    if (dtype != spec.dtype()) {
      throw ApiException.badRequest(field + ".datatype: the model takes " + spec.datatype() + ", got "
          + Datatypes.name(dtype));
    }
    long[] shape = shape(in.get("shape"), spec, field, maxElements);
    long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    Tensor t = Tensor.zeros(dtype, shape);
    JsonNode size = in.path("parameters").get("binary_data_size");
    if (size != null) {
      long bytes = count * dtype.byteSize();
      if (!size.canConvertToLong() || size.asLong() != bytes) {
        throw ApiException.badRequest(field + ".parameters.binary_data_size: shape " + Arrays.toString(shape)
            + " of " + Datatypes.name(dtype) + " needs " + bytes + " bytes, got " + size);
      }
      if (binary.remaining() < bytes) {
        throw ApiException.badRequest(field + ": the body holds " + binary.remaining() + " binary bytes, "
            + bytes + " needed");
      }
      ByteBuffer src = binary.slice().order(ByteOrder.LITTLE_ENDIAN).limit((int) bytes);
      binary.position(binary.position() + (int) bytes);
      copy(src, t.buffer(), dtype);
      return t;
    }
    JsonNode data = in.get("data");
    if (data == null || !data.isArray()) {
      throw ApiException.badRequest(field + ".data must be a list (or use parameters.binary_data_size)");
    }
    List<JsonNode> flat = new ArrayList<>((int) count);
    flatten(data, flat, count, field);
    if (flat.size() != count) {
      throw ApiException.badRequest(field + ".data: " + flat.size() + " elements, shape " + Arrays.toString(shape)
          + " needs " + count);
    }
    for (int i = 0; i < flat.size(); i++) {
      JsonNode v = flat.get(i);
      boolean ok = dtype == DType.BOOL ? v.isBoolean() : dtype.isFloating() ? v.isNumber() : v.isIntegralNumber();
      if (!ok) {
        throw ApiException.badRequest(field + ".data[" + i + "]: " + v + " is not a " + Datatypes.name(dtype)
            + " value");
      }
      t.set(i, dtype == DType.BOOL ? (v.asBoolean() ? 1 : 0) : v.asDouble());
    }
    return t;
  }

  private static long[] shape(JsonNode s, TensorSpec spec, String field, long maxElements) {
    if (s == null || !s.isArray()) {
      throw ApiException.badRequest(field + ".shape must be a list of dims");
    }
    long[] want = spec.shape();
    long[] shape = new long[s.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!s.get(i).canConvertToLong() || !s.get(i).isIntegralNumber() || s.get(i).asLong() < 0) {
        throw ApiException.badRequest(field + ".shape[" + i + "]: " + s.get(i) + " is not a dim (an integer >= 0)");
      }
      shape[i] = s.get(i).asLong();
      count = shape[i] == 0 ? 0 : count > maxElements ? count : count * shape[i];
    }
    if (shape.length != want.length) {
      throw ApiException.badRequest(field + ".shape: " + Arrays.toString(shape) + " has " + shape.length
          + " dims, the model takes " + Arrays.toString(want));
    }
    for (int i = 0; i < shape.length; i++) {
      if (want[i] >= 0 && want[i] != shape[i]) {
        throw ApiException.badRequest(field + ".shape[" + i + "]: " + shape[i] + ", the model takes "
            + Arrays.toString(want));
      }
    }
    if (count > maxElements) {
      throw ApiException.badRequest(field + ".shape: " + Arrays.toString(shape) + " exceeds the server's limit of "
          + maxElements + " elements per tensor");
    }
    return shape;
  }

  private static void flatten(JsonNode n, List<JsonNode> out, long limit, String field) {
    for (JsonNode e : n) {
      if (e.isArray()) {
        flatten(e, out, limit, field);
      } else {
        out.add(e);
      }
      if (out.size() > limit) {
        throw ApiException.badRequest(field + ".data: more than the shape's " + limit + " elements");
      }
    }
  }

  /** Copies elements of {@code dtype} between buffers of any byte order (each view converts). */
  private static void copy(ByteBuffer src, ByteBuffer dst, DType dtype) {
    switch (dtype) {
      case FLOAT -> dst.asFloatBuffer().put(src.asFloatBuffer());
      case DOUBLE -> dst.asDoubleBuffer().put(src.asDoubleBuffer());
      case INT64 -> dst.asLongBuffer().put(src.asLongBuffer());
      case INT32 -> dst.asIntBuffer().put(src.asIntBuffer());
      case BOOL -> dst.put(src);
    }
  }

  /** A response: its bytes, and the JSON header's length when binary outputs follow it (else null). */
  record Encoded(byte[] body, Integer headerLength) {}

  /** The response to {@code request}: {@code {model_name, id, outputs}}. */
  static Encoded response(String model, String id, Map<String, Tensor> outputs, Set<String> binary) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.getFactory().createGenerator(json)) {
      g.writeStartObject();
      g.writeStringField("model_name", model);
      g.writeStringField("model_version", "1");
      if (id != null) {
        g.writeStringField("id", id);
      }
      g.writeArrayFieldStart("outputs");
      for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
        Tensor t = e.getValue();
        g.writeStartObject();
        g.writeStringField("name", e.getKey());
        g.writeStringField("datatype", Datatypes.name(t.dtype()));
        g.writeFieldName("shape");
        g.writeArray(t.shape(), 0, t.rank());
        if (binary.contains(e.getKey())) {
          byte[] bytes = littleEndian(t);
          raw.write(bytes);
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", bytes.length);
          g.writeEndObject();
        } else {
          g.writeFieldName("data");
          writeData(g, t);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (raw.size() == 0) {
      return new Encoded(json.toByteArray(), null);
    }
    int header = json.size();
    json.writeBytes(raw.toByteArray());
    return new Encoded(json.toByteArray(), header);
  }

  /** Writes a tensor's elements as a flat JSON list. */
  static void writeData(JsonGenerator g, Tensor t) throws IOException {
    int n = t.size();
    g.writeStartArray();
    switch (t.dtype()) {
      case FLOAT -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(t.getFloat(i));
        }
      }
      case BOOL -> {
        for (int i = 0; i < n; i++) {
          g.writeBoolean(t.get(i) != 0);
        }
      }
      case INT64, INT32 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber((long) t.get(i));
        }
      }
      case DOUBLE -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(t.getDouble(i));
        }
      }
    }
    g.writeEndArray();
  }

  private static byte[] littleEndian(Tensor t) {
    ByteBuffer out = ByteBuffer.allocate(t.size() * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    copy(t.buffer(), out, t.dtype());
    return out.array();
  }

  /** {@code {"error": message}}. */
  static byte[] error(String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("error", message);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
