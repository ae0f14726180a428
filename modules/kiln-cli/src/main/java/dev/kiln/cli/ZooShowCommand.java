package dev.kiln.cli;

import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.train.TrainingRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kiln zoo show NAME}. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Print a model's card (README.md), then for each model file it ships its inputs and outputs and",
        "its provenance (recipe, seed, Kiln version, source commit, data and its hash), then the card's numbers",
        "and the command that measures them."})
final class ZooShowCommand implements Callable<Integer> {

  /** The provenance entries of {@code metadata_props} that {@code show} prints, in this order. */
  static final List<String> PROVENANCE = List.of("kiln_version", TrainingRun.SOURCE_COMMIT, "seed", "step", "weights",
      TrainingRun.DATA_NAME, TrainingRun.DATA_SHA256);

  @Parameters(paramLabel = "NAME", description = "a model of the zoo (kiln zoo list)")
  String name;

  @Mixin
  ZooOptions zoo;

  @Override
  public Integer call() throws Exception {
    Path folder = zoo.folder(name);
    Path readme = folder.resolve("README.md");
    if (Files.isRegularFile(readme)) {
      System.out.println(Files.readString(readme, StandardCharsets.UTF_8).stripTrailing());
      System.out.println();
    }
    if (!Files.exists(folder.resolve(ZooCard.FILE))) {
      System.out.println(name + ": recipe only, no trained model shipped");
      return 0;
    }
    ZooCard card = ZooCard.read(folder);
    for (ZooCard.Trained t : card.models()) {
      Path file = folder.resolve(t.file());
      System.out.printf(Locale.ROOT, "%s (%s, trained by %s)%n", t.file(), ZooListCommand.size(Files.size(file)),
          t.recipe());
      ModelReader.LoadedModel m = ModelReader.read(file);
      for (Value v : m.graph().inputs()) {
        if (!m.initializers().containsKey(v.name())) {
          System.out.printf(Locale.ROOT, "  input  %-16s %s %s%n", v.name(), v.dtype(), v.shape());
        }
      }
      for (Value v : m.graph().outputs()) {
        System.out.printf(Locale.ROOT, "  output %-16s %s %s%n", v.name(), v.dtype(), v.shape());
      }
      Map<String, String> meta = m.metadata();
      String recipe = meta.get("recipe");
      System.out.printf(Locale.ROOT, "  recipe %s%n", recipe == null ? "(not recorded)"
          : t.trainer() != null ? t.recipe() + ", trained by the " + t.trainer() + " tool"
          : dev.kiln.train.Recipe.parse(recipe, file + " (its recipe)").name());
      for (String key : PROVENANCE) {
        System.out.printf(Locale.ROOT, "  %-14s %s%n", key, meta.getOrDefault(key, "(not recorded)"));
      }
    }
    ZooCard.Evaluation e = card.evaluation();
    System.out.printf(Locale.ROOT, "measured (%s evaluation of %s; kiln zoo verify accepts %s):%n", e.type(), e.model(),
        card.tolerance());
    card.metrics().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-20s %s%n", k, v));
    System.out.println("  command: " + e.command(card.name()));
    return 0;
  }
}
