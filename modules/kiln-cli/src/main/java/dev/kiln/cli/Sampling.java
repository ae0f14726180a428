package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.inference.SampleBatches;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.graph.DType;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.train.Progress;
import dev.kiln.train.SafeTensors;
import dev.kiln.viz.SampleSheet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sampling an exported diffusion model and writing what came out: the shared part of sample, eval,
 * quickstart. Samples are drawn in batches of at most {@link #BATCH}, so memory stays bounded whatever the
 * count; batch {@code k} draws its noise from {@code (seed, k)} (batch 0 from the seed itself, so up to
 * {@link #BATCH} samples are what one unbatched call gives): {@link SampleBatches}, which the Spark jobs
 * draw their shards with.
 */
final class Sampling {

  /** Samples per sampler call. */
  static final int BATCH = SampleBatches.DEFAULT_SIZE;
  /** The most sampling steps a user may ask for. */
  static final int MAX_STEPS = 10_000;
  /** The most samples a PNG shows (the first ones). */
  static final int MAX_SHOWN = 4096;

  private Sampling() {}

  /** Samples and their provenance: {@code samples} holds the first of {@code count} drawn. */
  record Drawn(Tensor samples, long[] labels, String sampler, int steps, int evaluations, double seconds,
      long count) {}

  /** Receives each batch as it is drawn: samples {@code [offset, offset + batch.dim(0))}. */
  @FunctionalInterface
  interface Sink {
    void accept(long offset, Tensor batch) throws IOException;
  }

  /** A sampling job, checked and resolved before any sampling: sampler, steps, count, labels, guidance. */
  record Plan(GenerativeModel model, Sampler sampler, String name, int steps, long count, long seed, Integer label,
      double guidance) {

    Plan {
      if (count < 1) {
        throw new IllegalArgumentException("-n must be at least 1, got " + count);
      }
      if (steps < 1 || steps > MAX_STEPS) {
        throw new IllegalArgumentException("--steps must be in 1.." + MAX_STEPS + ", got " + steps);
      }
      if (!Double.isFinite(guidance)) {
        throw new IllegalArgumentException("--guidance must be a finite number, got " + guidance);
      }
      if (model.numClasses() > 0) {
        if (label != null && (label < 0 || label >= model.numClasses())) {
          throw new IllegalArgumentException("--label must be in 0.." + (model.numClasses() - 1) + " for "
              + model.path() + ", got " + label);
        }
      } else if (label != null || guidance != 1.0) {
        throw new IllegalArgumentException("--label and --guidance: " + model.path() + " is an unconditional model");
      }
    }

    /** The job in batches of {@link #BATCH}: what each batch draws, shared with the Spark jobs' shards. */
    SampleBatches batches() {
      return new SampleBatches(model, sampler, steps, count, seed, label, guidance, BATCH);
    }

    /** Labels of samples {@code [offset, offset + n)} (null for an unconditional model). */
    long[] labels(long offset, int n) {
      return batches().labels(offset, n);
    }

    /** Model evaluations for the whole job's each sample row. */
    int evaluations() {
      return sampler.evaluations(steps) * (model.numClasses() > 0 && guidance != 1 && guidance != 0 ? 2 : 1);
    }

    /**
     * Draws every sample batch by batch, hands each to {@code sink} (null: none) and keeps the first
     * {@code keep}; progress goes to {@code progress} (null: none) when there is more than one batch.
     */
    Drawn draw(long keep, Sink sink, PrintStream progress) throws IOException {
      long[] shape = model.sampleShape();
      long kept = Math.min(keep, count);
      Tensor first = null;
      long start = System.nanoTime();
      long lastReport = start;
      SampleBatches job = batches();
      int batches = (int) job.batches();
      for (int k = 0; k < batches; k++) {
        long offset = job.offset(k);
        int n = job.size(k);
        Tensor batch = job.draw(k);
        if (offset < kept) {
          if (first == null) {
            long[] all = new long[shape.length + 1];
            all[0] = kept;
            System.arraycopy(shape, 0, all, 1, shape.length);
            first = Tensor.zeros(batch.dtype(), all);
          }
          long rowBytes = batch.buffer().remaining() / n;
          ByteBuffer src = batch.buffer();
          src.limit((int) (Math.min(n, kept - offset) * rowBytes));
          first.buffer().position((int) (offset * rowBytes)).put(src);
        }
        if (sink != null) {
          sink.accept(offset, batch);
        }
        long now = System.nanoTime();
        if (progress != null && batches > 1 && (now - lastReport > 2e9 || k == batches - 1)) {
          lastReport = now;
          double secs = (now - start) / 1e9;
          long done = offset + n;
          double rate = done / Math.max(secs, 1e-9);
          progress.printf(Locale.ROOT, "%s: %d/%d samples  %.0f samples/s  elapsed %s  left %s%n", name, done, count,
              rate, Progress.clock((long) secs), Progress.clock((long) ((count - done) / rate)));
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      return new Drawn(first, labels(0, (int) kept), name, steps, evaluations(), secs, count);
    }
  }

  /**
   * Plans {@code count} samples from {@code model} with the named sampler (null: the model's default), its
   * settings and {@code steps} steps (null: the model's default for that sampler).
   */
  static Plan plan(Injector injector, GenerativeModel model, String samplerName, JsonNode overrides, Integer steps,
      long count, long seed, Integer label, double guidance) {
    String name = samplerName != null ? samplerName : model.defaultSampler();
    return plan(model, Providers.named(providers(injector), name, "--sampler"), overrides, "sampler " + name, steps,
        count, seed, label, guidance);
  }

  /** As {@link #plan(Injector, GenerativeModel, String, JsonNode, Integer, long, long, Integer, double)}, with the
   * settings of {@code kiln sample} and {@code kiln eval}. */
  static Plan plan(Injector injector, GenerativeModel model, SamplerSettings settings, String samplerName,
      Integer steps, long count, long seed, Integer label, double guidance) throws IOException {
    Map<String, SamplerProvider<?>> samplers = providers(injector);
    String requested = settings.sampler(samplerName, samplers);
    String name = requested != null ? requested : model.defaultSampler();
    return plan(model, Providers.named(samplers, name, "--sampler"), settings.overrides(), settings.where(name), steps,
        count, seed, label, guidance);
  }

  private static Plan plan(GenerativeModel model, SamplerProvider<?> provider, JsonNode overrides, String where,
      Integer steps, long count, long seed, Integer label, double guidance) {
    Sampler sampler = model.sampler(provider, overrides, where);
    int n = steps != null ? steps : model.defaultSteps(sampler);
    return new Plan(model, sampler, provider.name(), n, count, seed, label, guidance);
  }

  /** The data the model was trained on, as a diffusion task (for held-out data and metrics). */
  static DiffusionTask task(GenerativeModel model) {
    String data = model.data();
    if (data == null) {
      throw new IllegalArgumentException(model.path() + ": metadata names no training data (`data` or a recipe)");
    }
    return new DiffusionTask(new DiffusionTaskConfig(data, null, null, model.numClasses() > 0, null));
  }

  /** Writes a PNG of the samples kept: a scatter against held-out data for 2-D, a grid for images. */
  static void writePng(Drawn drawn, DiffusionTask task, Path png, long seed) throws IOException {
    int n = (int) drawn.samples().dim(0);
    SampleSheet.write(drawn.samples(), () -> task.referenceSamples(seed, n, true), task.plotBound(),
        drawn.sampler() + ", " + drawn.steps() + " steps", drawn.count(), drawn.labels() != null, png);
  }


  /**
   * Writes the PNG and (unless null) the raw samples of {@code plan} together: both are made in temporary
   * files beside their targets while sampling, and moved into place only once both are complete.
   */
  static Drawn drawAndWrite(Plan plan, DiffusionTask task, Path png, Path raw, PrintStream progress)
      throws IOException {
    try (RawSamples out = raw == null ? null : new RawSamples(plan, raw)) {
      Drawn d = plan.draw(MAX_SHOWN, out, progress);
      Path tmp = AtomicFiles.temporaryBeside(png, ".png.tmp");
      try {
        writePng(d, task, tmp, plan.seed());
        if (out != null) {
          out.commit();
        }
        AtomicFiles.move(tmp, png);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return d;
    }
  }

  /**
   * The samples (and labels) of a plan as safetensors, streamed batch by batch; the metadata (sampler, steps,
   * seed, count) is written in a fixed order, so the same plan gives the same bytes.
   */
  private static final class RawSamples implements Sink, AutoCloseable {
    private final Plan plan;
    private final Path path;
    private SafeTensors.Writer writer;

    RawSamples(Plan plan, Path path) {
      this.plan = plan;
      this.path = path;
    }

    @Override
    public void accept(long offset, Tensor batch) throws IOException {
      if (writer == null) {
        long[] shape = new long[batch.rank()];
        shape[0] = plan.count();
        System.arraycopy(batch.shape(), 1, shape, 1, shape.length - 1);
        Map<String, SafeTensors.Layout> layout = new LinkedHashMap<>();
        layout.put("samples", new SafeTensors.Layout(batch.dtype(), shape));
        if (plan.model().numClasses() > 0) {
          layout.put("labels", new SafeTensors.Layout(DType.INT64, new long[] {plan.count()}));
        }
        writer = SafeTensors.Writer.open(path, layout, Map.of("sampler", plan.name(), "steps",
            Integer.toString(plan.steps()), "seed", Long.toString(plan.seed())));
      }
      writer.append(batch);
    }

    void commit() throws IOException {
      if (plan.model().numClasses() > 0) {
        for (long off = 0; off < plan.count(); off += BATCH) {
          int n = (int) Math.min(BATCH, plan.count() - off);
          writer.append(Tensor.ofLongs(plan.labels(off, n), n));
        }
      }
      writer.commit();
    }

    @Override
    public void close() throws IOException {
      if (writer != null) {
        writer.close();
      }
    }
  }


  /** Sample-quality metrics as one line. */
  static Map<String, Double> quality(DiffusionTask task, OrtBackend backend, Drawn drawn, long seed) {
    if (drawn.samples().dim(0) != drawn.count()) {
      throw new IllegalStateException("quality of " + drawn.samples().dim(0) + " kept of " + drawn.count() + " drawn");
    }
    try (SampleQuality q = new SampleQuality(task, backend)) {
      return q.measure(drawn.samples(), drawn.labels(), seed);
    }
  }

  static String line(Map<String, Double> metrics) {
    StringBuilder sb = new StringBuilder();
    metrics.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4g",
        k, v)));
    return sb.toString();
  }

  static List<String> samplerNames(Injector injector) {
    return List.copyOf(providers(injector).keySet());
  }

  private static Map<String, SamplerProvider<?>> providers(Injector injector) {
    return injector.getInstance(Key.get(new TypeLiteral<Map<String, SamplerProvider<?>>>() {}));
  }
}
