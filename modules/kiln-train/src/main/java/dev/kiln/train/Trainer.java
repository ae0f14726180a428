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
   * @param startStep the step this process resumed after (0: a fresh run; {@code steps}: nothing was left to do)
   * @param stopped whether {@link #requestStop} ended the run early (its checkpoint is saved)
   */
  public record Result(long steps, double finalLoss, double stepsPerSecond, boolean diverged, Weights weights,
      Weights ema, Map<String, Double> lastEval, long startStep, boolean stopped) {

    /** Whether this process trained no step because the run folder held the finished run. */
    public boolean alreadyFinished() {
      return startStep == steps && !stopped && !diverged;
    }
  }

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
  private volatile boolean stopRequested;
  private StartHook onStart = startStep -> { };

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

  /** Runs once the checkpoint (if any) is loaded and checked, before the first step. */
  @FunctionalInterface
  public interface StartHook {
    void started(long startStep) throws IOException;
  }

  /** Sets what runs once the checkpoint (if any) is loaded and checked, before the first step. */
  public Trainer onStart(StartHook hook) {
    this.onStart = hook;
    return this;
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

  /**
   * Asks the loop to stop after the step it is running: it saves a checkpoint and returns (safe to call
   * from another thread, such as a shutdown hook on SIGTERM).
   */
  public void requestStop() {
    stopRequested = true;
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
        throw new dev.kiln.spi.ConfigException(ckptPath + " was written by a run with seed " + ckpt.seed()
            + ", this run has seed " + seed + "; use another run folder (-o) or the same seed");
      }
      requireSameTensors(ckptPath, "parameter", live.asMap(), ckpt.weights().asMap());
      requireSameTensors(ckptPath, "optimizer state", optimizer.state(), ckpt.optimizerState());
      if (ema != null && ckpt.ema() != null) {
        requireSameTensors(ckptPath, "EMA parameter", ema.weights().asMap(), ckpt.ema().asMap());
      }
      live.asMap().forEach((k, v) -> v.copyFrom(ckpt.weights().get(k)));
      optimizer.load(ckpt.optimizerState());
      if (ema != null && ckpt.ema() != null) {
        ema.weights().asMap().forEach((k, v) -> v.copyFrom(ckpt.ema().get(k)));
      }
      start = ckpt.step();
    }
    onStart.started(start);
    Progress progress = new Progress(label, start, config.steps(), progressOut);
    double windowLoss = 0;
    int windowCount = 0;
    double lastLoss = Double.NaN;
    double gradNorm = Double.NaN;
    boolean diverged = false;
    Map<String, Double> lastEval = Map.of();
    long s = start;
    boolean stopped = false;
    long lastSave = System.nanoTime();
    try (MetricsLog log = new MetricsLog(runDir.resolve(METRICS), start)) {
      while (s < config.steps()) {
        if (stopRequested) {
          stopped = true;
          break;
        }
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
        boolean timeUp = config.checkpointSeconds() > 0
            && System.nanoTime() - lastSave >= config.checkpointSeconds() * 1e9;
        if ((config.checkpointEvery() > 0 && s % config.checkpointEvery() == 0) || last || timeUp
            || stopRequested) {
          new Checkpoint(s, seed, live, optimizer.state(), ema == null ? null : ema.weights(), metadata)
              .write(ckptPath);
          lastSave = System.nanoTime();
        }
      }
    }
    if (stopped && progressOut != null) {
      progressOut.println(label + " stopped at step " + s + "/" + config.steps() + "; checkpoint saved in " + ckptPath
          + "; run the same command to resume");
    }
    return new Result(s, lastLoss, progress.rate(s), diverged, live, ema == null ? null : ema.weights(), lastEval,
        start, stopped);
  }

  /** A checkpoint resumes only into the tensors it was written from: same names, dtypes and shapes. */
  private static void requireSameTensors(Path ckptPath, String kind, Map<String, Tensor> live,
      Map<String, Tensor> saved) {
    for (Map.Entry<String, Tensor> e : live.entrySet()) {
      Tensor t = saved.get(e.getKey());
      if (t == null || t.dtype() != e.getValue().dtype()
          || !java.util.Arrays.equals(t.shape(), e.getValue().shape())) {
        throw new dev.kiln.spi.ConfigException(ckptPath + " holds " + kind + " `" + e.getKey() + "` "
            + (t == null ? "not at all" : "as " + t.dtype() + java.util.Arrays.toString(t.shape()))
            + " but this recipe's model has it as " + e.getValue().dtype()
            + java.util.Arrays.toString(e.getValue().shape()) + "; it was written by a different model: use another"
            + " run folder (-o)");
      }
    }
  }
}
