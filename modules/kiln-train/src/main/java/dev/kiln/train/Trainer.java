package dev.kiln.train;

import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: fill the batch, run the compiled step, clip, update, average, log, evaluate and
 * checkpoint. If the run folder holds a checkpoint the loop resumes after its step; because batches
 * and every other random draw are derived from (seed, step), the resumed run ends with the same
 * weights as an uninterrupted one.
 */
public final class Trainer {

  /** Fills the data inputs for one step; must depend only on the step (and the run seed). */
  @FunctionalInterface
  public interface BatchSource {
    void fill(long step, Map<String, Tensor> feeds);
  }

  /** Evaluation run every {@code eval_every} steps; returns metrics to log. */
  @FunctionalInterface
  public interface EvalHook {
    Map<String, Double> evaluate(long step, Weights weights, Weights ema);
  }

  /**
   * What a run produced.
   *
   * @param steps the last step completed
   * @param finalLoss mean loss over the last logging window
   * @param stepsPerSecond training throughput of this process
   * @param diverged whether the loss became NaN or infinite (training stopped there)
   * @param weights final weights
   * @param ema averaged weights, or null
   * @param lastEval metrics of the last evaluation
   */
  public record Result(long steps, double finalLoss, double stepsPerSecond, boolean diverged, Weights weights,
      Weights ema, Map<String, Double> lastEval) {}

  public static final String CHECKPOINT = "checkpoint.safetensors";
  public static final String METRICS = "metrics.jsonl";

  private final TrainStep step;
  private final Optimizer optimizer;
  private final LrSchedule schedule;
  private final TrainerConfig config;
  private final BatchSource data;
  private final Path runDir;
  private final long seed;
  private final Map<String, String> metadata;
  private final List<EvalHook> hooks = new ArrayList<>();
  private PrintStream progressOut = System.err;
  private String label = "train";

  public Trainer(TrainStep step, OptimizerConfig optimizer, LrSchedule schedule, TrainerConfig config,
      BatchSource data, Path runDir, long seed, Map<String, String> metadata) {
    this.step = step;
    this.schedule = schedule;
    this.config = config;
    this.data = data;
    this.runDir = runDir;
    this.seed = seed;
    this.metadata = new LinkedHashMap<>(metadata);
    List<Optimizer.Slot> slots = new ArrayList<>();
    for (String name : step.trainable()) {
      Tensor p = step.weights().get(name);
      slots.add(new Optimizer.Slot(name, p, step.gradients().get(name), optimizer.decays(name, p.rank())));
    }
    this.optimizer = Optimizer.create(optimizer, slots);
  }

  /** Adds an evaluation hook. */
  public Trainer onEval(EvalHook hook) {
    hooks.add(hook);
    return this;
  }

  /** Where progress lines go (stderr by default; null for none), and their label. */
  public Trainer progress(PrintStream out, String progressLabel) {
    this.progressOut = out;
    this.label = progressLabel;
    return this;
  }

  /** Runs to {@code steps}, resuming from the run folder's checkpoint if there is one. */
  public Result fit() throws IOException {
    Files.createDirectories(runDir);
    Path ckptPath = runDir.resolve(CHECKPOINT);
    Weights live = step.weights();
    Ema ema = config.emaDecay() > 0 ? new Ema(config.emaDecay(), live) : null;
    long start = 0;
    if (Files.exists(ckptPath)) {
      Checkpoint ckpt = Checkpoint.read(ckptPath);
      if (ckpt.seed() != seed) {
        throw new IllegalStateException(ckptPath + " was written by a run with seed " + ckpt.seed()
            + ", this run has seed " + seed + "; use another run folder or the same seed");
      }
      live.asMap().forEach((k, v) -> v.copyFrom(ckpt.weights().get(k)));
      optimizer.load(ckpt.optimizerState());
      if (ema != null && ckpt.ema() != null) {
        ema.weights().asMap().forEach((k, v) -> v.copyFrom(ckpt.ema().get(k)));
      }
      start = ckpt.step();
    }
    Progress progress = new Progress(label, start, config.steps(), progressOut);
    double windowLoss = 0;
    int windowCount = 0;
    double lastLoss = Double.NaN;
    double gradNorm = Double.NaN;
    boolean diverged = false;
    Map<String, Double> lastEval = Map.of();
    long s = start;
    try (MetricsLog log = new MetricsLog(runDir.resolve(METRICS), start)) {
      while (s < config.steps()) {
        s++;
        data.fill(s, step.feeds());
        double loss = step.run();
        if (!Double.isFinite(loss)) {
          diverged = true;
          log.write(s, Map.of("loss", loss, "diverged", 1));
          if (progressOut != null) {
            progressOut.println(label + " step " + s + ": loss is " + loss + ", stopping");
          }
          break;
        }
        if (config.clipGradNorm() > 0) {
          gradNorm = GradientClipping.clip(step.gradients().values(), config.clipGradNorm());
        }
        double lr = optimizer.config().lr() * schedule.factor(s, config.steps());
        optimizer.step(lr, s);
        if (ema != null) {
          ema.update(live, s);
        }
        windowLoss += loss;
        windowCount++;
        if (s % config.logEvery() == 0 || s == config.steps()) {
          lastLoss = windowLoss / windowCount;
          Map<String, Double> row = new LinkedHashMap<>();
          row.put("loss", lastLoss);
          row.put("lr", lr);
          if (config.clipGradNorm() > 0) {
            row.put("grad_norm", gradNorm);
          }
          for (String m : step.metricNames()) {
            row.put(m, step.metric(m));
          }
          row.put("it_per_s", progress.rate(s));
          log.write(s, row);
          if (progressOut != null) {
            Map<String, Double> shown = new LinkedHashMap<>(row);
            shown.remove("it_per_s");
            shown.remove("lr");
            progress.report(s, shown);
          }
          windowLoss = 0;
          windowCount = 0;
        }
        boolean last = s == config.steps();
        if (!hooks.isEmpty() && ((config.evalEvery() > 0 && s % config.evalEvery() == 0) || last)) {
          Map<String, Double> evals = new LinkedHashMap<>();
          for (EvalHook h : hooks) {
            evals.putAll(h.evaluate(s, live, ema == null ? null : ema.weights()));
          }
          if (!evals.isEmpty()) {
            log.write(s, evals);
            if (progressOut != null) {
              progressOut.println(label + " step " + s + " eval " + evals);
            }
          }
          lastEval = evals;
        }
        if ((config.checkpointEvery() > 0 && s % config.checkpointEvery() == 0) || last) {
          new Checkpoint(s, seed, live, optimizer.state(), ema == null ? null : ema.weights(), metadata)
              .write(ckptPath);
        }
      }
    }
    return new Result(s, lastLoss, progress.rate(s), diverged, live, ema == null ? null : ema.weights(), lastEval);
  }
}
