package dev.kiln.cli;

import com.google.inject.Injector;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.fields.FieldMetrics;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.OrtBackend;
import java.io.IOException;
import java.nio.file.Path;
import dev.kiln.diffusion.task.DiffusionTask;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln eval MODEL}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Measure the sample quality of an exported generative model against held-out data.",
        "2-D data: sliced Wasserstein distance and MMD². Digits: Fréchet distance and k-NN precision/recall on the",
        "zoo digit classifier's features, and (class-conditional) the classifier's agreement with the labels.",
        "Samples are drawn and measured in batches of " + Sampling.BATCH + ", in memory that does not grow with -n,"
            + " with progress on stderr.",
        "The Fréchet distance, precision and classifier accuracy cover every sample; swd, mmd2 and recall are"
            + " measured on a seeded reservoir of at most " + SampleQuality.RESERVOIR + " samples (a uniform sample"
            + " without replacement; all of them when -n is at most " + SampleQuality.RESERVOIR + ")."})
public final class EvalCommand implements Callable<Integer> {

  @Parameters(paramLabel = "MODEL", description = "an exported model (kiln export)")
  Path model;

  @Option(names = "--sampler", description = "sampler (default: the model's, from its metadata: ddim, agm-gddim, boot)")
  String sampler;

  @Option(names = "--steps", split = ",", description = {"sampling steps, 1.." + Sampling.MAX_STEPS
      + "; several: --steps 5,10,20", "(default: the model's, 50; 1 for one-step samplers)"})
  List<Integer> steps;

  /** The most samples a measurement that holds every sample takes (a zoo card's {@code evaluation.count}). */
  static final int MAX_COUNT = 100_000;

  /** The most samples {@code kiln eval} measures (in constant memory; the limit only guards against typos). */
  static final long MAX_STREAMED = SampleCommand.MAX_COUNT;

  @Option(names = {"-n", "--count"}, description = "number of samples, 1.." + MAX_STREAMED
      + " (default: ${DEFAULT-VALUE})")
  long count = 2000;

  @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--guidance", description = "classifier-free guidance scale, finite (default: ${DEFAULT-VALUE})")
  double guidance = 1.0;

  @Mixin
  SamplerSettings samplerSettings;

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > MAX_STREAMED) {
      throw new IllegalArgumentException("-n must be in 1.." + MAX_STREAMED + ", got " + count);
    }
    Injector injector = runtime.inferenceInjector();
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    try (GenerativeModel m = GenerativeModel.load(model, backend)) {
      if (m.isField()) {
        return field(m, injector, backend);
      }
      DiffusionTask task = Sampling.task(m);
      // no --steps: one pass at the model's default
      for (Integer s : steps != null ? steps : Collections.<Integer>singletonList(null)) {
        Sampling.Plan plan = Sampling.plan(injector, m, samplerSettings, sampler, s, count, seed, null, guidance);
        try (SampleQuality quality = new SampleQuality(task, backend)) {
          SampleQuality.Streaming measured = quality.stream(count, seed);
          Sampling.Drawn d = plan.draw(0, (offset, batch) -> measured.add(batch, plan.labels(offset,
              (int) batch.dim(0))), System.err);
          Map<String, Double> q = measured.result();
          System.out.printf(Locale.ROOT, "%s steps %d (NFE %d), %d samples: %s%n", d.sampler(), d.steps(),
              d.evaluations(), count, Sampling.line(q));
          System.out.printf(Locale.ROOT, "  %d batches of at most %d; %s%n", measured.batches(), Sampling.BATCH,
              measured.describe());
        }
      }
    }
    return 0;
  }

  /**
   * A field model (DPF) on its training grid, measured as a zoo card's {@code field-quality} evaluation
   * and the DPF study measure it ({@link FieldZooEvaluation}): the samples are held in memory.
   */
  private int field(GenerativeModel m, Injector injector, OrtBackend backend) throws IOException {
    if (count > MAX_COUNT) {
      throw new IllegalArgumentException("-n: a field model's samples are measured in memory; at most " + MAX_COUNT
          + ", got " + count);
    }
    FieldSampling field = FieldSampling.of(m, null, null, seed);
    for (Integer s : steps != null ? steps : Collections.<Integer>singletonList(null)) {
      Sampling.Drawn d = Sampling.plan(injector, field.model(), samplerSettings, sampler, s, count, seed, null,
          guidance).draw(count, null, System.err);
      Map<String, Double> q = FieldZooEvaluation.measure(m, field.domain(), field.resolution(), d.samples(), seed,
          backend);
      System.out.printf(Locale.ROOT, "%s steps %d (NFE %d), %d samples on the %s at %d: %s%n", d.sampler(), d.steps(),
          d.evaluations(), count, field.domain().id(), field.resolution(), Sampling.line(q));
    }
    contextUse(m);
    return 0;
  }

  /**
   * Whether the field denoiser reads its context ({@link FieldMetrics#contextUse(GenerativeModel, long)}):
   * the one-step x̂₀ of held-out fields at 0.3 T, 0.5 T and 0.7 T with their own context and with another
   * field's.
   */
  private void contextUse(GenerativeModel m) {
    System.out.printf(Locale.ROOT, "context use, one-step x0 MSE of %d held-out fields (own context | another"
        + " field's | per-coordinate mean):", FieldMetrics.CONTEXT_USE_FIELDS);
    for (FieldMetrics.ContextUse u : FieldMetrics.contextUse(m, seed)) {
      System.out.printf(Locale.ROOT, " t=%d %.4f | %.4f | %.4f;", u.t(), u.own(), u.swapped(), u.mean());
    }
    System.out.println();
  }
}
