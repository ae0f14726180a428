package dev.kiln.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Injector;
import dev.kiln.diffusion.agm.AgmModel;
import dev.kiln.diffusion.task.DiffusionModel;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln sample MODEL}. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Sample an exported diffusion model through ONNX Runtime.",
        "Writes a PNG (images as a grid; 2-D points next to held-out data) and, with --raw, the sample tensors",
        "as safetensors. The sampler uses the noise schedule stored in the model."})
public final class SampleCommand implements Callable<Integer> {

  @Parameters(paramLabel = "MODEL", description = "an exported model (kiln export)")
  Path model;

  @Option(names = "--sampler", description = {"ddim, ddpm, euler, euler-ancestral, dpmpp-2m, dpmpp-2m-sde, unipc, …;",
      "for AGM models agm-gddim, agm-sscs, agm-em; for BOOT students boot",
      "(default: ddim; agm-gddim for AGM models; boot for BOOT students)"})
  String sampler;

  @Option(names = "--steps", description = "sampling steps (default: 50; 1 for BOOT students)")
  Integer steps;

  @Option(names = {"-n", "--count"}, description = "number of samples (default: ${DEFAULT-VALUE})")
  int count = 64;

  @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--label", description = "class to sample (class-conditional models; default: every class in turn)")
  Integer label;

  @Option(names = "--guidance", description = "classifier-free guidance scale (default: ${DEFAULT-VALUE})")
  double guidance = 1.0;

  @Option(names = "--set", paramLabel = "FIELD=VALUE",
      description = "sampler setting with diffusers' names, e.g. --set eta=0.5 --set timestep_spacing=trailing")
  List<String> settings = new ArrayList<>();

  @Option(names = {"-o", "--output"}, description = "PNG file (default: ${DEFAULT-VALUE})")
  Path output = Path.of("samples.png");

  @Option(names = "--raw", paramLabel = "FILE", description = "also write the samples as safetensors")
  Path raw;

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Injector injector = runtime.inferenceInjector();
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    String kind = Sampling.kind(model);
    boolean phaseSpace = Sampling.isPhaseSpace(kind);
    String name = Sampling.samplerFor(kind, sampler);
    int steps = this.steps != null ? this.steps : Sampling.defaultSteps(name);
    Object device;
    Sampling.Drawn d;
    if (phaseSpace) {
      try (AgmModel m = AgmModel.load(model, backend)) {
        d = Sampling.draw(m, name, overrides(settings), steps, count, seed, label, guidance);
        Sampling.write(d, Sampling.task(m), output, raw, seed);
        device = m.device();
      }
    } else {
      try (DiffusionModel m = DiffusionModel.load(model, backend)) {
        d = Sampling.draw(injector, m, name, overrides(settings), steps, count, seed, label, guidance);
        Sampling.write(d, Sampling.task(m), output, raw, seed);
        device = m.session().device();
      }
    }
    System.out.printf(Locale.ROOT, "%d samples, %s %d steps (%d model calls) in %.2f s on %s -> %s%n", count, name,
        steps, d.evaluations(), d.seconds(), device, output);
    return 0;
  }

  static ObjectNode overrides(List<String> settings) {
    ObjectNode o = Configs.mapper().createObjectNode();
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set expects FIELD=VALUE, got `" + s + "`");
      }
      String v = s.substring(eq + 1);
      try {
        o.set(s.substring(0, eq), Configs.mapper().readTree(v));
      } catch (java.io.IOException e) {
        o.put(s.substring(0, eq), v);
      }
    }
    return o;
  }
}
