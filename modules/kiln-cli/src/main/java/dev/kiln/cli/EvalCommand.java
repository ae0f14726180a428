package dev.kiln.cli;

import com.google.inject.Injector;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.OrtBackend;
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
        "zoo digit classifier's features, and (class-conditional) the classifier's agreement with the labels."})
public final class EvalCommand implements Callable<Integer> {

  @Parameters(paramLabel = "MODEL", description = "an exported model (kiln export)")
  Path model;

  @Option(names = "--sampler", description = "sampler (default: the model's, from its metadata: ddim, agm-gddim, boot)")
  String sampler;

  @Option(names = "--steps", split = ",", description = {"sampling steps, 1.." + Sampling.MAX_STEPS
      + "; several: --steps 5,10,20", "(default: the model's, 50; 1 for one-step samplers)"})
  List<Integer> steps;

  /** The most samples an evaluation measures (its metrics hold them all). */
  static final int MAX_COUNT = 100_000;

  @Option(names = {"-n", "--count"}, description = "number of samples, 1..100000 (default: ${DEFAULT-VALUE})")
  int count = 2000;

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
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("-n must be in 1.." + MAX_COUNT + ", got " + count);
    }
    Injector injector = runtime.inferenceInjector();
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    try (GenerativeModel m = GenerativeModel.load(model, backend)) {
      DiffusionTask task = Sampling.task(m);
      // no --steps: one pass at the model's default
      for (Integer s : steps != null ? steps : Collections.<Integer>singletonList(null)) {
        Sampling.Drawn d = Sampling.plan(injector, m, samplerSettings, sampler, s, count, seed, null, guidance)
            .draw(count, null, System.err);
        Map<String, Double> q = Sampling.quality(task, backend, d, seed);
        System.out.printf(Locale.ROOT, "%s steps %d (NFE %d), %d samples: %s%n", d.sampler(), d.steps(),
            d.evaluations(), count, Sampling.line(q));
      }
    }
    return 0;
  }
}
