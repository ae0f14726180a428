package dev.kiln.experiments.agm;

import dev.kiln.diffusion.agm.AgmMlpProvider;
import dev.kiln.diffusion.agm.AgmTaskProvider;
import dev.kiln.diffusion.agm.FlatMlpDenoiserProvider;
import dev.kiln.spi.process.DeType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.diffusion.task.DiffusionTaskProvider;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The recipes of one comparison and their training: an AGM model (agm-mlp, probability-flow labels),
 * optionally an SDE-label AGM model, and an ε-prediction diffusion baseline (flat-mlp-denoiser,
 * DDPM's linear β schedule), all with the same widths, depth, skip path, steps, batch, optimizer (AdamW 1e-3, cosine
 * decay after a short warm-up, gradient clipping at 1) and EMA 0.999. A run folder that already
 * holds a finished checkpoint is resumed, i.e. not trained again.
 *
 * <p>The baseline uses the linear schedule, not the cosine one: under the cosine schedule ᾱ at the
 * last timestep is 2·10⁻⁹, and DDIM's and DPM-Solver++'s first x̂₀ = (x − √(1−ᾱ)ε̂)/√ᾱ multiplies the
 * network's ε error by 2·10⁴, which wrecks few-step sampling on trailing timesteps.
 */
final class ComparisonTraining {

  /** The exported models; {@code agmSde} is null when the settings ask for none. */
  record Models(Path agm, Path agmSde, Path eps, ObjectNode report) {}

  private final ComparisonSettings s;
  private final OrtBackend backend;
  private final PrintStream log;

  ComparisonTraining(ComparisonSettings s, OrtBackend backend, PrintStream log) {
    this.s = s;
    this.backend = backend;
    this.log = log;
  }

  /** The AGM recipe for these settings and label type. */
  ObjectNode agmRecipe(DeType type) {
    ObjectNode task = Configs.mapper().createObjectNode().put("type", "agm").put("data", s.data())
        .put("batch_size", s.batch());
    task.putObject("process").put("de_type", type.id());
    ObjectNode arch = Configs.mapper().createObjectNode().put("type", "agm-mlp");
    shape(arch);
    arch.put("hidden", s.hidden()).put("depth", s.depth()).put("time_embedding", 32);
    if (s.skip()) {
      arch.put("skip", true);
    }
    return recipe("agm-" + s.key() + (type == DeType.SDE ? "-sde" : ""), task, arch);
  }

  /** The ε-prediction baseline recipe. */
  ObjectNode epsRecipe() {
    ObjectNode task = Configs.mapper().createObjectNode().put("type", "diffusion").put("data", s.data())
        .put("batch_size", s.batch());
    task.putObject("schedule").put("num_train_timesteps", 1000).put("beta_schedule", "linear")
        .put("beta_start", 1e-4).put("beta_end", 0.02)
        .put("prediction_type", "epsilon");
    ObjectNode arch = Configs.mapper().createObjectNode().put("type", "flat-mlp-denoiser");
    shape(arch);
    arch.put("hidden", s.hidden()).put("depth", s.depth()).put("time_embedding", 32);
    if (s.skip()) {
      arch.put("skip", true);
    }
    return recipe("eps-" + s.key(), task, arch);
  }

  private void shape(ObjectNode arch) {
    ArrayNode a = arch.putArray("sample_shape");
    s.sampleShape().forEach(a::add);
  }

  private ObjectNode recipe(String name, ObjectNode task, ObjectNode arch) {
    ObjectNode r = Configs.mapper().createObjectNode().put("name", name).put("seed", 0);
    r.set("task", task);
    r.set("architecture", arch);
    r.putObject("optimizer").put("type", "adamw").put("lr", 1e-3).put("weight_decay", 0.0);
    r.putObject("schedule").put("type", "cosine").put("warmup_steps", Math.min(200, s.trainSteps() / 10))
        .put("min_ratio", 0.05);
    r.putObject("trainer").put("steps", s.trainSteps()).put("log_every", Math.max(1, s.trainSteps() / 8))
        .put("ema_decay", 0.999).put("clip_grad_norm", 1.0);
    return r;
  }

  /** Trains (or resumes) and exports every model under {@code dir}. */
  Models train(Path dir) throws IOException {
    TrainingRun run = new TrainingRun(backend, Map.of("agm", new AgmTaskProvider(), "diffusion",
        new DiffusionTaskProvider()), Map.of("agm-mlp", new AgmMlpProvider(), "flat-mlp-denoiser",
        new FlatMlpDenoiserProvider()));
    ObjectNode report = Configs.mapper().createObjectNode();
    Path agm = trainOne(run, agmRecipe(DeType.PROB_ODE), dir, report);
    Path eps = trainOne(run, epsRecipe(), dir, report);
    Path sde = s.sdeModel() ? trainOne(run, agmRecipe(DeType.SDE), dir, report) : null;
    return new Models(agm, sde, eps, report);
  }

  private Path trainOne(TrainingRun run, ObjectNode json, Path dir, ObjectNode report) throws IOException {
    String name = json.get("name").asText();
    Path runDir = dir.resolve(name);
    long start = System.nanoTime();
    Trainer.Result r = run.train(Recipe.parse(json.toString(), name), runDir, log);
    double seconds = (System.nanoTime() - start) / 1e9;
    log.printf(Locale.ROOT, "%s: %d steps, final loss %.4f, %.1f steps/s, %.0f s%n", name, r.steps(), r.finalLoss(),
        r.stepsPerSecond(), seconds);
    report.putObject(name).put("steps", r.steps()).put("final_loss", r.finalLoss())
        .put("steps_per_second", r.stepsPerSecond()).put("seconds", seconds).put("diverged", r.diverged());
    return run.export(runDir, runDir.resolve("model.onnx"), true);
  }
}
