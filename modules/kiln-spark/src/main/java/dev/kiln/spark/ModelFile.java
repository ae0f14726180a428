package dev.kiln.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * An exported model shipped to the executors: the driver reads the file once and broadcasts its bytes, so
 * executors need no shared file system; each executor JVM writes it once to its local temporary folder,
 * named by the content's SHA-256, and opens it from there. A model must be one self-contained
 * {@code .onnx} file (no external data).
 *
 * @param name the file as the user named it, for messages
 * @param sha256 the content's digest, hex
 */
public record ModelFile(String name, String sha256, Broadcast<byte[]> bytes) implements Serializable {

  /** Reads {@code path} on the driver and broadcasts it. */
  public static ModelFile broadcast(JavaSparkContext sc, Path path, String option) throws IOException {
    byte[] content;
    try {
      content = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new IOException(option + " " + path + ": no such file", e);
    }
    return new ModelFile(path.toString(), sha256(content), sc.broadcast(content));
  }

  /** The model as a local file on this JVM (written on first use). */
  public Path local() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "kiln-spark-models");
    Path file = dir.resolve(sha256 + ".onnx");
    if (Files.isRegularFile(file)) {
      return file;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, sha256, ".tmp");
    try {
      Files.write(tmp, bytes.value());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
