package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.train.SafeTensors;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.ScatterPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Sampling an exported diffusion model and writing what came out: the shared part of sample, eval, quickstart. */
final class Sampling {

  private Sampling() {}

  /** Samples and their provenance. */
  record Drawn(Tensor samples, long[] labels, String sampler, int steps, int evaluations, double seconds) {}

  /**
   * Draws {@code count} samples from {@code model} with the named sampler (null: the model's default), its
   * settings and {@code steps} steps (null: the model's default for that sampler).
   */
  static Drawn draw(Injector injector, GenerativeModel model, String samplerName, JsonNode overrides, Integer steps,
      int count, long seed, Integer label, double guidance) {
    String name = samplerName != null ? samplerName : model.defaultSampler();
    return draw(model, Providers.named(providers(injector), name, "--sampler"), overrides, "sampler " + name, steps,
        count, seed, label, guidance);
  }

  /** As {@link #draw(Injector, GenerativeModel, String, JsonNode, Integer, int, long, Integer, double)}, with the
   * settings of {@code kiln sample} and {@code kiln eval}. */
  static Drawn draw(Injector injector, GenerativeModel model, SamplerSettings settings, String samplerName,
      Integer steps, int count, long seed, Integer label, double guidance) throws IOException {
    Map<String, SamplerProvider<?>> samplers = providers(injector);
    String requested = settings.sampler(samplerName, samplers);
    String name = requested != null ? requested : model.defaultSampler();
    return draw(model, Providers.named(samplers, name, "--sampler"), settings.overrides(), settings.where(name), steps,
        count, seed, label, guidance);
  }

  private static Drawn draw(GenerativeModel model, SamplerProvider<?> provider, JsonNode overrides, String where,
      Integer steps, int count, long seed, Integer label, double guidance) {
    String name = provider.name();
    Sampler sampler = model.sampler(provider, overrides, where);
    int n = steps != null ? steps : model.defaultSteps(sampler);
    long[] labels = null;
    if (model.numClasses() > 0) {
      labels = new long[count];
      for (int i = 0; i < count; i++) {
        labels[i] = label != null ? label : i % model.numClasses();
      }
    } else if (label != null || guidance != 1.0) {
      throw new IllegalArgumentException("--label and --guidance: " + model.path() + " is an unconditional model");
    }
    Denoiser d = model.denoiser(labels, guidance);
    long start = System.nanoTime();
    Tensor samples = model.sample(sampler, d, count, n, seed);
    double secs = (System.nanoTime() - start) / 1e9;
    int evals = sampler.evaluations(n) * (labels != null && guidance != 1 && guidance != 0 ? 2 : 1);
    return new Drawn(samples, labels, name, n, evals, secs);
  }

  /** The data the model was trained on, as a diffusion task (for held-out data and metrics). */
  static DiffusionTask task(GenerativeModel model) {
    String data = model.data();
    if (data == null) {
      throw new IllegalArgumentException(model.path() + ": metadata names no training data (`data` or a recipe)");
    }
    return new DiffusionTask(new DiffusionTaskConfig(data, null, null, model.numClasses() > 0, null));
  }

  /** Writes a PNG (scatter against held-out data for 2-D, a grid for images) and the raw tensors. */
  static void write(Drawn drawn, DiffusionTask task, Path png, Path raw, long seed) throws IOException {
    if (task.sampleShape().length == 1) {
      int n = (int) drawn.samples().dim(0);
      ScatterPlot.defaults().withBounds(ScatterPlot.Bounds.square(bound(task))).write(png,
          ScatterPlot.Panel.of("data (" + n + " held-out)", task.referenceSamples(seed, n, true)),
          ScatterPlot.Panel.of(drawn.sampler() + ", " + drawn.steps() + " steps", drawn.samples()));
    } else {
      int columns = drawn.labels() != null ? 10 : (int) Math.ceil(Math.sqrt(drawn.samples().dim(0)));
      ImageGrid.forRange(-1, 1).withColumns(columns).withScale(2).write(drawn.samples(), png);
    }
    if (raw != null) {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      tensors.put("samples", drawn.samples());
      if (drawn.labels() != null) {
        tensors.put("labels", Tensor.ofLongs(drawn.labels(), drawn.labels().length));
      }
      SafeTensors.write(raw, tensors, Map.of("sampler", drawn.sampler(), "steps", Integer.toString(drawn.steps()),
          "seed", Long.toString(seed)));
    }
  }

  private static double bound(DiffusionTask task) {
    String data = task.config().data().toLowerCase(Locale.ROOT);
    return data.contains("checker") ? 4.5 : data.contains("moon") ? 3.2 : 3.0;
  }

  /** Sample-quality metrics as one line. */
  static Map<String, Double> quality(DiffusionTask task, OrtBackend backend, Drawn drawn, long seed) {
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
