package dev.kiln.cli;

import dev.kiln.graph.onnx.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The block of a zoo model's README that {@code kiln zoo publish} writes from its card.json. */
final class ZooReadme {

  static final String BEGIN = "<!-- measured: written by `kiln zoo publish` from card.json -->";
  static final String END = "<!-- end of measured -->";

  private ZooReadme() {}

  /** Replaces the README's measured block (or appends one) with {@code card}'s numbers. */
  static void writeMeasured(Path folder, ZooCard card) throws IOException {
    Path readme = folder.resolve("README.md");
    String text = Files.isRegularFile(readme) ? Files.readString(readme, StandardCharsets.UTF_8)
        : "# " + card.name() + "\n\n" + card.method() + "\n";
    String block = block(card);
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    String updated = b >= 0 && e > b ? text.substring(0, b) + block + text.substring(e + END.length())
        : text.stripTrailing() + "\n\n" + block + "\n";
    AtomicFiles.write(readme, updated.getBytes(StandardCharsets.UTF_8));
  }

  static String block(ZooCard card) {
    ZooCard.Evaluation e = card.evaluation();
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    sb.append("## Measured by `./kiln zoo verify ").append(card.name()).append("`\n\n");
    if (e.kind() == ZooCard.Kind.SAMPLE_QUALITY) {
      sb.append("Sample quality of `").append(e.model()).append("` against held-out data: ").append(e.count())
          .append(" samples, ").append(e.sampler() != null ? "sampler `" + e.sampler() + "`" : "the model's sampler")
          .append(e.steps() != null ? ", " + e.steps() + " steps" : "").append(", seed ").append(e.seed())
          .append(", ONNX Runtime on one CPU thread; the same numbers as\n`").append(card.command())
          .append("`.");
    } else if (e.kind() == ZooCard.Kind.TOOL) {
      sb.append("The method tool's own held-out evaluation of the shipped files (").append(e.count())
          .append(" held-out items, seed ").append(e.seed()).append("), ONNX Runtime on one CPU thread; the same")
          .append(" numbers as\n`").append(card.command()).append("`.");
    } else if (e.kind() == ZooCard.Kind.FIELD_QUALITY) {
      sb.append(FieldZooEvaluation.describe(card.name(), e));
    } else {
      sb.append("The training task's own held-out evaluation of `").append(e.model())
          .append("` (seed ").append(e.seed()).append("), ONNX Runtime on one CPU thread.");
    }
    sb.append(" `kiln zoo verify` re-runs it and accepts ").append(card.tolerance())
        .append(" around each number (on the publishing machine the re-run repeats them exactly).\n\n");
    sb.append("| metric | value |\n|---|---|\n");
    card.metrics().forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(ZooCard.number(v)).append(" |\n"));
    return sb.append(END).toString();
  }
}
