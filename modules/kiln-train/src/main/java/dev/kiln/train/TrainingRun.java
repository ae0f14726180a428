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

  /**
   * Provenance keys of an exported model's {@code metadata_props}, beside {@code recipe}, {@code seed} and
   * {@code kiln_version}: the source commit that trained it and the name and SHA-256 of its data.
   */
  public static final String SOURCE_COMMIT = "source_commit";
  public static final String DATA_NAME = "data_name";
  public static final String DATA_SHA256 = "data_sha256";

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
    return train(recipe, runDir, progress, false);
  }

  /**
   * Trains the recipe in {@code runDir}, which it locks for the whole run. Resuming checks the recipe
   * against the one the checkpoint was trained with and refuses a difference unless {@code allowChange}
   * (then the change is recorded in {@link RunFolder#RECIPE_CHANGES}). {@code recipe.json} is written once
   * the checkpoint (if any) has been loaded, so a refused resume leaves the folder as it was. SIGTERM stops
   * the loop after its current step with a checkpoint saved.
   */
  public Trainer.Result train(Recipe recipe, Path runDir, PrintStream progress, boolean allowChange)
      throws IOException {
    Built b = build(recipe);
    long seed = recipe.seed();
    TrainerConfig trainer = recipe.trainer();
    try (RunFolder folder = RunFolder.lock(runDir)) {
      List<String> changes = folder.checkResume(recipe, allowChange);
      if (!changes.isEmpty() && progress != null) {
        progress.println(recipe.name() + ": resuming with a changed recipe (--allow-recipe-change): "
            + String.join("; ", changes) + "; recorded in " + runDir.resolve(RunFolder.RECIPE_CHANGES));
      }
      Weights weights = Weights.initialize(b.graph(), seed);
      TrainGraph tg = new TrainGraph(b.graph(), b.objective().loss(), b.objective().metrics(),
          b.objective().trainable());
      String[] outputs = b.task().exportOutputs(b.architecture()).toArray(new String[0]);
      try (TrainStep step = TrainStep.compile(tg, backend, b.task().dimensionSizes(), weights);
          ForwardSession live = ForwardSession.compile(b.graph(), backend, weights, outputs)) {
        Trainer t = new Trainer(step, recipe.optimizer(), recipe.schedule(), trainer,
            (s, feeds) -> b.task().fill(seed, s, feeds), runDir, seed, Map.of("recipe", recipe.toJson(),
            SOURCE_COMMIT, SourceCommit.current()));
        t.onEval((s, w, ema) -> b.task().evaluate(seed, live::run));
        t.onStart(startStep -> {
          if (!changes.isEmpty()) {
            folder.recordChanges(startStep, changes);
          }
          AtomicFiles.write(runDir.resolve(RECIPE), recipe.toJson().getBytes(StandardCharsets.UTF_8));
        });
        return StopOnSignal.during(t::requestStop, () -> t.progress(progress, recipe.name()).fit());
      }
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
    if (!Files.isDirectory(runDir)) {
      throw new java.nio.file.NoSuchFileException(runDir.toString(), null, "run folder does not exist");
    }
    Path ckptPath = runDir.resolve(Trainer.CHECKPOINT);
    if (!Files.exists(ckptPath)) {
      throw new java.nio.file.NoSuchFileException(ckptPath.toString(), null, "no checkpoint: the run never"
          + " reached its first checkpoint; train it first (kiln train RECIPE -o " + runDir + ")");
    }
    Checkpoint ckpt;
    try {
      ckpt = Checkpoint.read(ckptPath);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "; this command needs the checkpoint `kiln train` wrote: restore it, or"
          + " train the run again", e);
    }
    // The recipe the weights were trained with is the checkpoint's; recipe.json is its readable copy.
    String trainedWith = ckpt.metadata().get("recipe");
    Recipe recipe = trainedWith != null ? Recipe.parse(trainedWith, ckptPath + " (its recipe)")
        : Recipe.read(runDir.resolve(RECIPE));
    Built b = build(recipe);
    boolean ema = useEma && ckpt.ema() != null;
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("recipe", recipe.toJson());
    meta.put("seed", Long.toString(ckpt.seed()));
    meta.put("step", Long.toString(ckpt.step()));
    meta.put("weights", ema ? "ema" : "raw");
    // A checkpoint from before commits were recorded says so rather than guessing today's.
    meta.put(SOURCE_COMMIT, ckpt.metadata().getOrDefault(SOURCE_COMMIT, SourceCommit.UNKNOWN));
    b.task().dataIdentity().ifPresent(d -> {
      meta.put(DATA_NAME, d.name());
      meta.put(DATA_SHA256, d.sha256());
    });
    meta.putAll(b.task().exportMetadata());
    return new Trained(recipe, b, ema ? ckpt.ema() : ckpt.weights(), meta);
  }
}
