package dev.kiln.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Appends one JSON object per line ({@code {"step": 100, "loss": 0.25, ...}}), flushed each line. */
public final class MetricsLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path path;
  private final BufferedWriter out;

  /**
   * Opens {@code path} for appending. Lines for steps after {@code keepUpTo} (left by a run that
   * stopped after its last checkpoint) are dropped, so a resumed run's log has each step once.
   */
  public MetricsLog(Path path, long keepUpTo) {
    this.path = path;
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      if (Files.exists(path)) {
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
          JsonNode n = line.isBlank() ? null : JSON.readTree(line);
          if (n != null && n.path("step").asLong(Long.MAX_VALUE) <= keepUpTo) {
            kept.add(line);
          }
        }
        Files.write(path, kept, StandardCharsets.UTF_8);
      }
      this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open metrics log " + path + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  /** Writes one line: {@code step} then the given values in order. */
  public void write(long step, Map<String, ? extends Number> values) {
    ObjectNode n = JSON.createObjectNode().put("step", step);
    values.forEach((k, v) -> {
      if (v instanceof Long || v instanceof Integer) {
        n.put(k, v.longValue());
      } else {
        n.put(k, v.doubleValue());
      }
    });
    try {
      out.write(JSON.writeValueAsString(n));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics log " + path, e);
    }
  }

  /** Reads every line of a metrics log. */
  public static List<JsonNode> read(Path path) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
