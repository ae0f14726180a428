package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.kiln.diffusion.agm.AgmModel;
import dev.kiln.diffusion.boot.BootSamplerProvider;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.task.DiffusionModel;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.PhaseSpaceSampler;
import dev.kiln.spi.PhaseSpaceSamplerProvider;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.train.Recipe;
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

  /** Draws {@code count} samples from {@code model} with the named sampler and overrides. */
  static Drawn draw(Injector injector, DiffusionModel model, String samplerName, JsonNode overrides, int steps,
      int count, long seed, Integer label, double guidance) {
    Map<String, SamplerProvider<?>> samplers = injector.getInstance(
        Key.get(new TypeLiteral<Map<String, SamplerProvider<?>>>() {}));
    // A BOOT student's one-step sampler is not registered (it does not converge as steps grow, as the
    // sampler contract asks), so it is offered only for the models it belongs to.
    SamplerProvider<?> provider = BOOT.equals(samplerName) && BOOT.equals(model.metadata().get("kiln_task"))
        ? new BootSamplerProvider() : Providers.named(samplers, samplerName, "--sampler");
    Sampler sampler = model.sampler(provider, overrides, "sampler " + samplerName);
    long[] labels = null;
    if (model.numClasses() > 0) {
      labels = new long[count];
      for (int i = 0; i < count; i++) {
        labels[i] = label != null ? label : i % model.numClasses();
      }
    } else if (label != null) {
      throw new IllegalArgumentException("--label: the model is unconditional");
    }
    Denoiser d = model.denoiser(labels, guidance);
    long start = System.nanoTime();
    Tensor samples = model.sample(sampler, d, count, steps, seed);
    double secs = (System.nanoTime() - start) / 1e9;
    int evals = sampler.evaluations(steps) * (labels != null && guidance != 1 && guidance != 0 ? 2 : 1);
    return new Drawn(samples, labels, samplerName, steps, evals, secs);
  }

  /** The task an exported model was trained with ({@code kiln_task} in its metadata; null for plain diffusion). */
  static String kind(Path model) throws IOException {
    return ModelReader.read(model).metadata().get("kiln_task");
  }

  /** Whether a model of this kind is a phase-space (AGM) model rather than a diffusion denoiser. */
  static boolean isPhaseSpace(String kind) {
    return AGM.equals(kind);
  }

  /**
   * The sampler a model of this kind is drawn with unless one is requested: DDIM for diffusion
   * models, gDDIM with the hop for AGM models, the one-step sampler for BOOT students.
   */
  static String samplerFor(String kind, String requested) {
    return requested != null ? requested : AGM.equals(kind) ? "agm-gddim" : BOOT.equals(kind) ? BOOT : "ddim";
  }

  /** Steps when none are asked for: one for the BOOT student's sampler, 50 otherwise. */
  static int defaultSteps(String sampler) {
    return BOOT.equals(sampler) ? 1 : 50;
  }

  private static final String AGM = "agm";
  private static final String BOOT = "boot";

  /** Draws {@code count} samples from a phase-space model with the named phase-space sampler. */
  static Drawn draw(AgmModel model, String samplerName, JsonNode overrides, int steps, int count, long seed,
      Integer label, double guidance) {
    if (label != null || guidance != 1.0) {
      throw new IllegalArgumentException("--label and --guidance: " + model.path() + " is an unconditional AGM model");
    }
    Map<String, PhaseSpaceSamplerProvider<?>> samplers = Providers.load(PhaseSpaceSamplerProvider.class);
    PhaseSpaceSamplerProvider<?> provider = Providers.named(samplers, samplerName, "--sampler (AGM model)");
    PhaseSpaceSampler sampler = model.sampler(provider, overrides, "sampler " + samplerName);
    long start = System.nanoTime();
    Tensor samples = model.sample(sampler, model.denoiser(), count, steps, seed);
    double secs = (System.nanoTime() - start) / 1e9;
    return new Drawn(samples, null, samplerName, steps, sampler.evaluations(steps), secs);
  }

  /** The data an AGM model was trained on, as a diffusion task (for held-out data and metrics). */
  static DiffusionTask task(AgmModel model) {
    if (model.data() == null) {
      throw new IllegalArgumentException(model.path() + ": metadata has no `data`");
    }
    return new DiffusionTask(new DiffusionTaskConfig(model.data(), null, null, null, null));
  }

  /** The diffusion task the model was trained with, rebuilt from the recipe in its metadata. */
  static DiffusionTask task(DiffusionModel model) {
    if (BOOT.equals(model.metadata().get("kiln_task"))) {
      String data = model.metadata().get("data");
      if (data == null) {
        throw new IllegalArgumentException(model.path() + ": metadata has no `data`");
      }
      return new DiffusionTask(new DiffusionTaskConfig(data, null, null, model.numClasses() > 0, null));
    }
    String recipeJson = model.metadata().get("recipe");
    if (recipeJson == null) {
      throw new IllegalArgumentException(model.path() + ": metadata has no recipe");
    }
    Recipe r = Recipe.parse(recipeJson, model.path() + " (recipe metadata)");
    ObjectNode section = r.section("task").deepCopy();
    section.remove("type");
    return new DiffusionTask(Configs.read(section, DiffusionTaskConfig.class, r.origin() + ": task"));
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
    return List.copyOf(injector.getInstance(Key.get(new TypeLiteral<Map<String, SamplerProvider<?>>>() {})).keySet());
  }
}
