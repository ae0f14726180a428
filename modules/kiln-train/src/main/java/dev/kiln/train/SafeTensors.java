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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    Map<String, Layout> layout = new LinkedHashMap<>();
    tensors.forEach((k, t) -> layout.put(k, new Layout(t.dtype(), t.shape())));
    try (Writer w = Writer.open(path, layout, metadata)) {
      for (Tensor t : tensors.values()) {
        w.append(t);
      }
      w.commit();
    }
  }

  /** A tensor's type and shape, declared before its data is written. */
  public record Layout(DType dtype, long[] shape) {
    long bytes() {
      long n = dtype.byteSize();
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }
  }

  /**
   * A file written in pieces, for tensors too large to hold at once: the header is fixed by the declared
   * layout, the data arrives in order through {@link #append}, and {@link #commit} moves the finished file
   * into place. Closed without a commit, it leaves nothing behind.
   */
  public static final class Writer implements AutoCloseable {
    private final Path path;
    private final Path tmp;
    private final OutputStream out;
    private final long total;
    private long written;
    private boolean committed;

    private Writer(Path path, Path tmp, OutputStream out, long total) {
      this.path = path;
      this.tmp = tmp;
      this.out = out;
      this.total = total;
    }

    /** Opens a temporary file beside {@code path} and writes the header for {@code layout}. */
    public static Writer open(Path path, Map<String, Layout> layout, Map<String, String> metadata)
        throws IOException {
      if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
        throw new IOException("big-endian hosts are not supported");
      }
      ObjectNode header = JSON.createObjectNode();
      if (!metadata.isEmpty()) {
        ObjectNode meta = header.putObject("__metadata__");
        // sorted, so the same tensors and metadata give the same bytes whatever map the caller passed
        new TreeMap<>(metadata).forEach(meta::put);
      }
      long offset = 0;
      for (Map.Entry<String, Layout> e : layout.entrySet()) {
        ObjectNode entry = header.putObject(e.getKey());
        entry.put("dtype", code(e.getValue().dtype()));
        ArrayNode shape = entry.putArray("shape");
        for (long d : e.getValue().shape()) {
          shape.add(d);
        }
        long size = e.getValue().bytes();
        entry.putArray("data_offsets").add(offset).add(offset + size);
        offset += size;
      }
      byte[] json = JSON.writeValueAsBytes(header);
      int padded = (json.length + 7) / 8 * 8;
      Path tmp = AtomicFiles.temporaryBeside(path, ".safetensors.tmp");
      OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
      Writer w = new Writer(path, tmp, out, offset);
      try {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
          out.write(' ');
        }
      } catch (IOException e) {
        w.close();
        throw e;
      }
      return w;
    }

    /** Appends the data of {@code t}: the next elements of the tensors in layout order. */
    public void append(Tensor t) throws IOException {
      ByteBuffer le = t.buffer();
      if (written + le.remaining() > total) {
        throw new IllegalStateException(path + ": more data appended than the layout declares");
      }
      written += le.remaining();
      byte[] chunk = new byte[Math.min(1 << 20, le.remaining())];
      while (le.hasRemaining()) {
        int n = Math.min(chunk.length, le.remaining());
        le.get(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }

    /** Flushes the file to disk and moves it into place; all the declared data must have been appended. */
    public void commit() throws IOException {
      if (written != total) {
        throw new IllegalStateException(path + ": " + written + " of " + total + " declared bytes appended");
      }
      out.close();
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      AtomicFiles.move(tmp, path);
      committed = true;
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } finally {
        if (!committed) {
          Files.deleteIfExists(tmp);
        }
      }
    }
  }

  /** The largest header read, in bytes (the format's own reference reader allows 100 MB). */
  static final long MAX_HEADER_BYTES = 100L << 20;

  /**
   * Reads a file as hostile input: the header length, every dtype, shape and offset range is checked
   * against the file, ranges may not overlap; errors name the file and the tensor and say what is wrong.
   */
  public static Contents read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new java.nio.file.NoSuchFileException(path.toString(), null,
          Files.isDirectory(path) ? "is a folder, not a safetensors file" : "does not exist");
    }
    long size = Files.size(path);
    if (size > Integer.MAX_VALUE - 16) {
      throw new IOException(path + ": " + size + " bytes is more than Kiln reads from one safetensors file (2 GiB)");
    }
    return read(Files.readAllBytes(path), path);
  }

  /** Reads the bytes of a safetensors file that came from {@code path}, checked as {@link #read(Path)} checks. */
  public static Contents read(byte[] all, Path path) throws IOException {
    Header h = header(all, path);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : h.entries().entrySet()) {
      Entry en = e.getValue();
      Tensor t = Tensor.zeros(en.dtype(), en.shape());
      t.buffer().put(ByteBuffer.wrap(all, Math.toIntExact(h.base() + en.start()),
          Math.toIntExact(en.end() - en.start())));
      tensors.put(e.getKey(), t);
    }
    return new Contents(tensors, h.metadata());
  }

  /** Only the {@code __metadata__} of a file (its header is checked as {@link #read} checks it). */
  public static Map<String, String> readMetadata(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new java.nio.file.NoSuchFileException(path.toString(), null, "does not exist");
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new IOException(path + ": not a safetensors file (only " + size + " bytes)");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      while (len.hasRemaining() && ch.read(len) >= 0) {
        // read the 8-byte length
      }
      long headerLen = len.flip().remaining() == 8 ? len.getLong() : -1;
      checkHeaderLength(headerLen, size, path);
      ByteBuffer head = ByteBuffer.allocate(8 + (int) headerLen);
      ch.position(0);
      while (head.hasRemaining() && ch.read(head) >= 0) {
        // read the header
      }
      return header(head.array(), size, path).metadata();
    }
  }

  /** One tensor's place in the file: its data is bytes {@code [start, end)} after the header. */
  private record Entry(DType dtype, long[] shape, long start, long end) {}

  private record Header(Map<String, Entry> entries, Map<String, String> metadata, long base) {}

  private static Header header(byte[] all, Path path) throws IOException {
    return header(all, all.length, path);
  }

  /** Parses and checks the header at the start of {@code head}, of a file of {@code fileSize} bytes. */
  private static Header header(byte[] head, long fileSize, Path path) throws IOException {
    if (fileSize < 8 || head.length < 8) {
      throw new IOException(path + ": not a safetensors file (only " + fileSize + " bytes)");
    }
    long headerLen = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    checkHeaderLength(headerLen, fileSize, path);
    JsonNode header;
    try {
      header = JSON.readTree(StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(head, 8, (int) headerLen)).toString());
    } catch (IOException e) {
      throw new IOException(path + ": header is not JSON, so this is not a safetensors file or it is damaged ("
          + e.getMessage().split("\n")[0] + ")", e);
    }
    if (header == null || !header.isObject()) {
      throw new IOException(path + ": header is not a JSON object; not a safetensors file");
    }
    long base = 8 + headerLen;
    long dataLen = fileSize - base;
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : header.properties()) {
      String name = e.getKey();
      JsonNode n = e.getValue();
      if (name.equals("__metadata__")) {
        if (!n.isObject()) {
          throw new IOException(path + ": `__metadata__` must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> m : n.properties()) {
          if (!m.getValue().isTextual()) {
            throw new IOException(path + ": metadata field `" + m.getKey() + "` must be a string, got " + m.getValue());
          }
          metadata.put(m.getKey(), m.getValue().asText());
        }
        continue;
      }
      if (!n.isObject() || !n.path("dtype").isTextual()) {
        throw new IOException(path + ": tensor `" + name + "` needs a string `dtype`");
      }
      DType dtype = dtype(n.path("dtype").asText(), path, name);
      long[] shape = longs(n.path("shape"), -1, path, name, "shape");
      long[] offsets = longs(n.path("data_offsets"), 2, path, name, "data_offsets");
      long elements = 1;
      try {
        for (long d : shape) {
          elements = Math.multiplyExact(elements, d);
        }
        long bytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        if (offsets[1] < offsets[0] || offsets[1] > dataLen || offsets[1] - offsets[0] != bytes) {
          throw new IOException(path + ": tensor `" + name + "` has data_offsets " + Arrays.toString(offsets)
              + " but shape " + Arrays.toString(shape) + " needs " + bytes + " bytes and the file holds " + dataLen
              + " bytes of data; the file is damaged or truncated");
        }
      } catch (ArithmeticException x) {
        throw new IOException(path + ": tensor `" + name + "` has shape " + Arrays.toString(shape)
            + ", too large to exist", x);
      }
      entries.put(name, new Entry(dtype, shape, offsets[0], offsets[1]));
    }
    List<Map.Entry<String, Entry>> byStart = new ArrayList<>(entries.entrySet());
    byStart.sort(Comparator.comparingLong(x -> x.getValue().start()));
    for (int i = 1; i < byStart.size(); i++) {
      var prev = byStart.get(i - 1);
      var next = byStart.get(i);
      if (next.getValue().start() < prev.getValue().end()) {
        throw new IOException(path + ": tensors `" + prev.getKey() + "` and `" + next.getKey()
            + "` overlap in the file; the file is damaged");
      }
    }
    return new Header(entries, metadata, base);
  }

  private static void checkHeaderLength(long headerLen, long fileSize, Path path) throws IOException {
    if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > fileSize) {
      throw new IOException(path + ": header length " + headerLen + " does not fit a file of " + fileSize
          + " bytes; not a safetensors file, or it is truncated");
    }
  }

  /** A JSON array of non-negative integers ({@code count} of them; -1: any number, at most 16). */
  private static long[] longs(JsonNode a, int count, Path path, String name, String field) throws IOException {
    if (!a.isArray() || (count >= 0 ? a.size() != count : a.size() > 16)) {
      throw new IOException(path + ": tensor `" + name + "` field `" + field + "` must be an array of "
          + (count >= 0 ? count + " " : "at most 16 ") + "non-negative integers, got " + a);
    }
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw new IOException(path + ": tensor `" + name + "` field `" + field + "` must hold non-negative integers,"
            + " got " + v);
      }
      out[i] = v.asLong();
    }
    return out;
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
