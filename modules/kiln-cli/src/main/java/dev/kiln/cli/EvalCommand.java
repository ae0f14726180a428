package dev.kiln.cli;

import com.google.inject.Injector;
import dev.kiln.diffusion.agm.AgmModel;
import dev.kiln.diffusion.task.DiffusionModel;
import dev.kiln.runtime.OrtBackend;
import java.nio.file.Path;
import java.util.ArrayList;
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
    description = {"Measure the sample quality of an exported diffusion model against held-out data.",
        "2-D data: sliced Wasserstein distance and MMD². Digits: Fréchet distance and k-NN precision/recall on the",
        "zoo digit classifier's features, and (class-conditional) the classifier's agreement with the labels."})
public final class EvalCommand implements Callable<Integer> {

  @Parameters(paramLabel = "MODEL", description = "an exported model (kiln export)")
  Path model;

  @Option(names = "--sampler", description = "sampler (default: ddim; agm-gddim for AGM models; boot for BOOT students)")
  String sampler;

  @Option(names = "--steps", description = "sampling steps; several: --steps 5,10,20 (default: 50; 1 for BOOT students)",
      split = ",")
  List<Integer> steps;

  @Option(names = {"-n", "--count"}, description = "number of samples (default: ${DEFAULT-VALUE})")
  int count = 2000;

  @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--guidance", description = "classifier-free guidance scale (default: ${DEFAULT-VALUE})")
  double guidance = 1.0;

  @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "sampler setting (diffusers' names)")
  List<String> settings = new ArrayList<>();

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Injector injector = runtime.inferenceInjector();
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    String kind = Sampling.kind(model);
    boolean phaseSpace = Sampling.isPhaseSpace(kind);
    String name = Sampling.samplerFor(kind, sampler);
    for (int s : steps != null ? steps : List.of(Sampling.defaultSteps(name))) {
      Sampling.Drawn d;
      Map<String, Double> q;
      if (phaseSpace) {
        try (AgmModel m = AgmModel.load(model, backend)) {
          d = Sampling.draw(m, name, SampleCommand.overrides(settings), s, count, seed, null, guidance);
          q = Sampling.quality(Sampling.task(m), backend, d, seed);
        }
      } else {
        try (DiffusionModel m = DiffusionModel.load(model, backend)) {
          d = Sampling.draw(injector, m, name, SampleCommand.overrides(settings), s, count, seed, null, guidance);
          q = Sampling.quality(Sampling.task(m), backend, d, seed);
        }
      }
      System.out.printf(Locale.ROOT, "%s steps %d (NFE %d), %d samples: %s%n", name, s, d.evaluations(), count,
          Sampling.line(q));
    }
    return 0;
  }
}
