package dev.kiln.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a model was trained on: the data's name as a recipe writes it and the SHA-256 of its content.
 * For data read from a file (the MNIST copy, a text corpus, a teacher model) the hash is of the file's
 * bytes; for data a generator makes (toy distributions, pointer tasks, procedural shapes) it is of a
 * fixed draw from the generator, so a change to the generator changes the hash.
 */
public record DataIdentity(String name, String sha256) {

  public DataIdentity {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("data identity needs a name");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("data `" + name + "`: sha256 must be 64 hex digits, got " + sha256);
    }
  }

  /** The data {@code name} whose content is {@code bytes}. */
  public static DataIdentity of(String name, byte[] bytes) {
    return new DataIdentity(name, sha256(bytes));
  }

  /** The generated data {@code name} identified by a fixed draw of its values (as little-endian float32). */
  public static DataIdentity ofDraw(String name, double[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putFloat((float) v);
    }
    return of(name, b.array());
  }

  /** The generated data {@code name} identified by a fixed draw of integer values (as little-endian int64). */
  public static DataIdentity ofDraw(String name, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return of(name, b.array());
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
