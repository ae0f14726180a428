package dev.kiln.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kiln zoo list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the zoo's models: what each is, the size of what it ships and the numbers on its card;",
        "folders that hold a recipe but no trained model say so. The last line is the zoo's total size."})
final class ZooListCommand implements Callable<Integer> {

  /** The most numbers a line shows. */
  private static final int SHOWN = 4;

  @Mixin
  ZooOptions zoo;

  @Override
  public Integer call() throws Exception {
    long total = 0;
    for (Path folder : zoo.folders()) {
      long bytes = 0;
      for (Path f : ZooManifest.files(folder)) {
        bytes += Files.size(f);
      }
      total += bytes;
      String name = folder.getFileName().toString();
      if (!Files.exists(folder.resolve(ZooCard.FILE))) {
        boolean model = ZooManifest.files(folder).stream().anyMatch(f -> f.toString().endsWith(".onnx"));
        System.out.printf(Locale.ROOT, "%-26s %8s  %s%n", name, size(bytes), model
            ? "ships a model but no card.json, so nothing verifies it" : "recipe only, no trained model shipped");
        continue;
      }
      ZooCard card = ZooCard.read(folder);
      String metrics = card.metrics().entrySet().stream().limit(SHOWN)
          .map(e -> e.getKey() + " " + ZooCard.number(e.getValue())).collect(Collectors.joining(", "))
          + (card.metrics().size() > SHOWN ? " (+" + (card.metrics().size() - SHOWN) + " more: kiln zoo show " + name
          + ")" : "");
      System.out.printf(Locale.ROOT, "%-26s %8s  %s%s%n", name, size(bytes), card.method(),
          metrics.isEmpty() ? " (not measured yet)" : "; " + metrics);
    }
    System.out.printf(Locale.ROOT, "total %s in %s%n", size(total), zoo.root());
    return 0;
  }

  static String size(long bytes) {
    return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.2f MB", bytes / 1048576.0)
        : String.format(Locale.ROOT, "%d KB", (bytes + 1023) / 1024);
  }
}
