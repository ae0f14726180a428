package dev.kiln.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.DType;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
 * name to {@code dtype}, {@code shape} and {@code data_offsets}, an optional {@code __metadata__}
 * map of strings, then the raw little-endian data.
 */
public final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Tensors and metadata read from a file. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** Tensor {@code name}; throws naming the file's tensors if absent. */
    public Tensor get(String name) {
      Tensor t = tensors.get(name);
      if (t == null) {
        throw new IllegalArgumentException("no tensor `" + name + "` in checkpoint");
      }
      return t;
    }
  }

  private SafeTensors() {}

  /** Writes through a temporary file moved into place. */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", code(t.dtype()));
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long size = (long) t.size() * t.dtype().byteSize();
      entry.putArray("data_offsets").add(offset).add(offset + size);
      offset += size;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    Path tmp = AtomicFiles.temporaryBeside(path, ".safetensors.tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
          out.write(' ');
        }
        for (Tensor t : tensors.values()) {
          ByteBuffer le = t.buffer().order(ByteOrder.LITTLE_ENDIAN);
          if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException("big-endian hosts are not supported");
          }
          byte[] chunk = new byte[Math.min(1 << 20, le.remaining())];
          while (le.hasRemaining()) {
            int n = Math.min(chunk.length, le.remaining());
            le.get(chunk, 0, n);
            out.write(chunk, 0, n);
          }
        }
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      AtomicFiles.move(tmp, path);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a file; errors name the file and what is wrong with it. */
  public static Contents read(Path path) throws IOException {
    byte[] all = Files.readAllBytes(path);
    if (all.length < 8) {
      throw new IOException(path + ": not a safetensors file (only " + all.length + " bytes)");
    }
    long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen <= 0 || 8 + headerLen > all.length) {
      throw new IOException(path + ": header length " + headerLen + " does not fit a file of " + all.length + " bytes");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(path + ": header is not JSON (" + e.getMessage() + ")", e);
    }
    int base = 8 + (int) headerLen;
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : header.properties()) {
      if (e.getKey().equals("__metadata__")) {
        e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      JsonNode n = e.getValue();
      DType dtype = dtype(n.path("dtype").asText(), path, e.getKey());
      JsonNode shapeNode = n.path("shape");
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
      }
      long start = n.path("data_offsets").path(0).asLong(-1);
      long end = n.path("data_offsets").path(1).asLong(-1);
      Tensor t = Tensor.zeros(dtype, shape);
      long expected = (long) t.size() * dtype.byteSize();
      if (start < 0 || end - start != expected || base + end > all.length) {
        throw new IOException(path + ": tensor `" + e.getKey() + "` has data_offsets [" + start + ", " + end
            + "] but shape " + java.util.Arrays.toString(shape) + " needs " + expected + " bytes");
      }
      t.buffer().put(ByteBuffer.wrap(all, base + (int) start, (int) expected));
      tensors.put(e.getKey(), t);
    }
    return new Contents(tensors, metadata);
  }

  private static String code(DType t) {
    return switch (t) {
      case FLOAT -> "F32";
      case DOUBLE -> "F64";
      case INT64 -> "I64";
      case INT32 -> "I32";
      case BOOL -> "BOOL";
    };
  }

  private static DType dtype(String code, Path path, String name) throws IOException {
    return switch (code) {
      case "F32" -> DType.FLOAT;
      case "F64" -> DType.DOUBLE;
      case "I64" -> DType.INT64;
      case "I32" -> DType.INT32;
      case "BOOL" -> DType.BOOL;
      default -> throw new IOException(path + ": tensor `" + name + "` has unsupported dtype " + code);
    };
  }
}
