package dev.kiln.train;

import dev.kiln.inference.ParameterFolding;
import dev.kiln.inference.ForwardSession;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Kiln;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Providers;
import dev.kiln.spi.ServingExporter;
import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a recipe: builds the task and architecture it names, trains in a run folder (resuming from a
 * checkpoint there), and exports the trained forward graph as an ONNX model.
 */
public final class TrainingRun {

  /** Files a run folder holds. */
  public static final String RECIPE = "recipe.json";

  private final OrtBackend backend;
  private final Map<String, TaskProvider<?>> tasks;
  private final Map<String, ArchitectureProvider<?>> architectures;

  @Inject
  public TrainingRun(OrtBackend backend, Map<String, TaskProvider<?>> tasks,
      Map<String, ArchitectureProvider<?>> architectures) {
    this.backend = backend;
    this.tasks = tasks;
    this.architectures = architectures;
  }

  /** The parts a recipe names, built. */
  public record Built(Task task, Architecture architecture, Graph graph, Objective objective) {}

  /** Builds the recipe's task, architecture and training graph. */
  public Built build(Recipe recipe) {
    Task task = Providers.create(Providers.named(tasks, recipe.type("task"), recipe.origin() + ": task"),
        recipe.section("task"), recipe.origin() + ": task");
    Architecture arch = Providers.create(
        Providers.named(architectures, recipe.type("architecture"), recipe.origin() + ": architecture"),
        recipe.section("architecture"), recipe.origin() + ": architecture");
    Graph g = new Graph(recipe.name());
    Objective objective = task.objective(g, arch);
    return new Built(task, arch, g, objective);
  }

  /** Trains the recipe in {@code runDir}; progress lines go to {@code progress} (null: none). */
  public Trainer.Result train(Recipe recipe, Path runDir, PrintStream progress) throws IOException {
    Built b = build(recipe);
    long seed = recipe.seed();
    TrainerConfig trainer = recipe.trainer();
    Files.createDirectories(runDir);
    AtomicFiles.write(runDir.resolve(RECIPE), recipe.toJson().getBytes(StandardCharsets.UTF_8));
    Weights weights = Weights.initialize(b.graph(), seed);
    TrainGraph tg = new TrainGraph(b.graph(), b.objective().loss(), b.objective().metrics(),
        b.objective().trainable());
    String[] outputs = b.task().exportOutputs(b.architecture()).toArray(new String[0]);
    try (TrainStep step = TrainStep.compile(tg, backend, b.task().dimensionSizes(), weights);
        ForwardSession live = ForwardSession.compile(b.graph(), backend, weights, outputs)) {
      Trainer t = new Trainer(step, recipe.optimizer(), recipe.schedule(), trainer,
          (s, feeds) -> b.task().fill(seed, s, feeds), runDir, seed, Map.of("recipe", recipe.toJson()));
      t.onEval((s, w, ema) -> b.task().evaluate(seed, live::run));
      return t.progress(progress, recipe.name()).fit();
    }
  }

  /**
   * Exports the trained forward graph of the run in {@code runDir} to {@code out}: the recipe is
   * rebuilt from the run folder, the checkpoint's weights (or their EMA) become initializers.
   */
  public Path export(Path runDir, Path out, boolean useEma) throws IOException {
    Trained t = trained(runDir, useEma);
    Built b = t.built();
    List<String> outputs = b.task().exportOutputs(b.architecture());
    Map<String, TensorProto> folded = ParameterFolding.compute(b.graph(), outputs, t.weights(), backend);
    ModelWriter.of(b.graph()).onlyOutputs(outputs.toArray(new String[0]))
        .weights(t.weights().toProtos()).fold(folded).metadata(t.metadata())
        .docString(t.recipe().name() + " exported by Kiln " + Kiln.version())
        .externalDataAbove(64L << 20).write(out);
    return out;
  }

  /**
   * Writes the extra serving files that a {@link ServingExporter} found on the module path has for
   * the run's architecture (adaptive-depth models, for example) into {@code dir}.
   *
   * @return one line per exporter that wrote files; empty when none accepts the architecture
   */
  public List<String> exportServing(Path runDir, Path dir, boolean useEma) throws IOException {
    List<ServingExporter> exporters = new ArrayList<>();
    Trained t = null;
    for (ServingExporter x : Providers.<ServingExporter>load(ServingExporter.class).values()) {
      if (t == null) {
        t = trained(runDir, useEma);
      }
      if (x.accepts(t.built().architecture())) {
        exporters.add(x);
      }
    }
    List<String> lines = new ArrayList<>();
    for (ServingExporter x : exporters) {
      lines.add(x.write(dir, t.built().architecture(), t.weights(), backend, t.metadata()));
    }
    return lines;
  }

  /** A finished run rebuilt from its folder: recipe, graph, the weights to export and their metadata. */
  private record Trained(Recipe recipe, Built built, Weights weights, Map<String, String> metadata) {}

  private Trained trained(Path runDir, boolean useEma) throws IOException {
    Recipe recipe = Recipe.read(runDir.resolve(RECIPE));
    Built b = build(recipe);
    Checkpoint ckpt = Checkpoint.read(runDir.resolve(Trainer.CHECKPOINT));
    boolean ema = useEma && ckpt.ema() != null;
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("recipe", recipe.toJson());
    meta.put("seed", Long.toString(ckpt.seed()));
    meta.put("step", Long.toString(ckpt.step()));
    meta.put("weights", ema ? "ema" : "raw");
    meta.putAll(b.task().exportMetadata());
    return new Trained(recipe, b, ema ? ckpt.ema() : ckpt.weights(), meta);
  }
}
