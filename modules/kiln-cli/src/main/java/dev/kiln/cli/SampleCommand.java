package dev.kiln.cli;

import com.google.inject.Injector;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.OrtBackend;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln sample MODEL}. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Sample an exported generative model (diffusion, AGM, BOOT student) through ONNX Runtime.",
        "Writes a PNG (images as a grid; 2-D points next to held-out data) and, with --raw, the sample tensors",
        "as safetensors. The sampler uses the noise schedule or process stored in the model.",
        "Field models (DPF) are sampled at any coordinates: --resolution R (the domain's grid at R) or --coords FILE."})
public final class SampleCommand implements Callable<Integer> {

  @Parameters(paramLabel = "MODEL", description = "an exported model (kiln export)")
  Path model;

  @Option(names = "--sampler", description = {"ddim, ddpm, euler, euler-ancestral, dpmpp-2m, dpmpp-2m-sde, unipc, …;",
      "for AGM models agm-gddim, agm-sscs, agm-em; for BOOT students boot",
      "(default: the model's, from its metadata: ddim, agm-gddim, boot)"})
  String sampler;

  /** The most samples one command draws. */
  static final long MAX_COUNT = 100_000_000;

  @Option(names = "--steps", description = "sampling steps, 1.." + Sampling.MAX_STEPS
      + " (default: the model's, 50; 1 for one-step samplers)")
  Integer steps;

  @Option(names = {"-n", "--count"}, description = {"number of samples, 1..100000000 (default: ${DEFAULT-VALUE});",
      "drawn in batches of " + Sampling.BATCH + " in constant memory, with progress; the PNG shows the first "
          + Sampling.MAX_SHOWN})
  long count = 64;

  @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--label", description = "class to sample (class-conditional models; default: every class in turn)")
  Integer label;

  @Option(names = "--guidance", description = "classifier-free guidance scale, finite (default: ${DEFAULT-VALUE})")
  double guidance = 1.0;

  @Mixin
  SamplerSettings samplerSettings;

  @Option(names = {"-o", "--output"}, description = "PNG file (default: ${DEFAULT-VALUE})")
  Path output = Path.of("samples.png");

  @Option(names = "--raw", paramLabel = "FILE", description = "also write the samples as safetensors")
  Path raw;

  @Option(names = "--resolution", paramLabel = "R", description = {"field models: query the domain's grid at this",
      "resolution (R×R plane, R³ volume, R×2R sphere; default: the training grid)"})
  Integer resolution;

  @Option(names = "--coords", paramLabel = "FILE", description = {"field models: query these coordinates, one point",
      "per line (2 or 3 numbers); writes the samples as <output>.csv and a splat PNG"})
  Path coords;

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("-n must be in 1.." + MAX_COUNT + ", got " + count);
    }
    Outputs.requireWritableFile(output, "-o", "samples.png");
    if (raw != null) {
      Outputs.requireWritableFile(raw, "--raw", "samples.safetensors");
      if (raw.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("--raw and -o both name " + raw + "; give them different files");
      }
    }
    Injector injector = runtime.inferenceInjector();
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    try (GenerativeModel m = GenerativeModel.load(model, backend)) {
      if (m.isField()) {
        FieldSampling field = FieldSampling.of(m, resolution, coords, seed);
        Sampling.Plan plan = Sampling.plan(injector, field.model(), samplerSettings, sampler, steps, count, seed, label,
            guidance);
        Sampling.Drawn d = plan.draw(count, null, System.err);
        var files = field.write(d, output, raw, seed);
        System.out.printf(Locale.ROOT, "%d samples on the %s, %s %d steps (%d model calls) in %.2f s on %s -> %s%n",
            count, field.where(), d.sampler(), d.steps(), d.evaluations(), d.seconds(), m.device(),
            files.size() == 1 ? output : output + " (+" + (files.size() - 1) + " files)");
        return 0;
      }
      FieldSampling.refuse(m, resolution, coords);
      Sampling.Plan plan = Sampling.plan(injector, m, samplerSettings, sampler, steps, count, seed, label, guidance);
      Sampling.Drawn d = Sampling.drawAndWrite(plan, Sampling.task(m), output, raw, System.err);
      System.out.printf(Locale.ROOT, "%d samples, %s %d steps (%d model calls) in %.2f s on %s -> %s%n", count,
          d.sampler(), d.steps(), d.evaluations(), d.seconds(), m.device(), output);
    }
    return 0;
  }
}
