package dev.kiln.cli;

import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A model folder's {@code SHA256SUMS}: one line {@code <sha256>  <path>} per file in the folder (sub-folders
 * included, the manifest itself not), sorted by path, in the format {@code sha256sum -c} checks.
 *
 * @param sums each file's SHA-256 by its path relative to the folder ({@code /}-separated)
 */
record ZooManifest(Map<String, String> sums) {

  /** The manifest's file name in a model folder. */
  static final String FILE = "SHA256SUMS";

  /** The manifest of what {@code folder} holds now. */
  static ZooManifest of(Path folder) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    for (Path f : files(folder)) {
      sums.put(relative(folder, f), sha256(f));
    }
    return new ZooManifest(sums);
  }

  /** Reads {@code folder/SHA256SUMS}; a malformed line is an error naming the file and the line. */
  static ZooManifest read(Path folder) throws IOException {
    Path file = folder.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null,
          "no manifest; write it with `kiln zoo publish " + folder.getFileName() + "`");
    }
    Map<String, String> sums = new TreeMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (!line.matches("[0-9a-f]{64}  [^/].*") || line.contains("..")) {
        throw new ConfigException(file + ": line " + (i + 1) + " must be `<64 hex digits>  <path in the folder>`, got `"
            + line + "`");
      }
      String path = line.substring(66);
      if (sums.put(path, line.substring(0, 64)) != null) {
        throw new ConfigException(file + ": line " + (i + 1) + " lists " + path + " a second time");
      }
    }
    return new ZooManifest(sums);
  }

  /** Writes this manifest to {@code folder/SHA256SUMS} (a temporary file, then moved). */
  void write(Path folder) throws IOException {
    StringBuilder sb = new StringBuilder();
    sums.forEach((path, sum) -> sb.append(sum).append("  ").append(path).append('\n'));
    AtomicFiles.write(folder.resolve(FILE), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * What differs between this manifest and the folder as it is: one line per file whose hash differs, that
   * the manifest lists but the folder lacks, or that the folder holds but the manifest does not list.
   */
  List<String> check(Path folder) throws IOException {
    ZooManifest now = of(folder);
    List<String> problems = new ArrayList<>();
    sums.forEach((path, sum) -> {
      String actual = now.sums().get(path);
      if (actual == null) {
        problems.add(folder.resolve(path) + ": listed in " + FILE + " but missing");
      } else if (!actual.equals(sum)) {
        problems.add(folder.resolve(path) + ": sha256 " + actual + ", but " + FILE + " says " + sum);
      }
    });
    now.sums().keySet().stream().filter(p -> !sums.containsKey(p))
        .forEach(p -> problems.add(folder.resolve(p) + ": not listed in " + FILE));
    return problems;
  }

  /** Every regular file under {@code folder} but the manifest, sorted. */
  static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(Files::isRegularFile).filter(f -> !f.equals(folder.resolve(FILE)))
          .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  static String relative(Path folder, Path file) {
    return folder.relativize(file).toString().replace('\\', '/');
  }

  /** Lower-case hex SHA-256 of a file, streamed. */
  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
