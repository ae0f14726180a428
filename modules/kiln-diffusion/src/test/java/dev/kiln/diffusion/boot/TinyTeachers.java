package dev.kiln.diffusion.boot;

import dev.kiln.diffusion.arch.MlpDenoiser;
import dev.kiln.diffusion.arch.MlpImageDenoiser;
import dev.kiln.diffusion.samplers.DdimConfig;
import dev.kiln.diffusion.samplers.DdimSampler;
import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.PredictionType;
import dev.kiln.spi.process.ScheduleConfig;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.Configs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Teachers for tests that never saw data: small architectures with random weights (the zero-initialised
 * last layer made random too, so the teacher is not the zero function), exported like a trained model
 * with an x-prediction cosine schedule over 1024 timesteps.
 */
final class TinyTeachers {

  static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));

  private TinyTeachers() {}

  /** An unconditional 2-D MLP denoiser. */
  static Architecture toy() {
    return new MlpDenoiser(new MlpDenoiser.Config(2, 16, 2, 8));
  }

  /** A class-conditional MLP over 4×4 images with 3 classes. */
  static Architecture digits() {
    return new MlpImageDenoiser(new MlpImageDenoiser.Config(1, 4, 16, 2, 8, 4, 3));
  }

  static ScheduleConfig schedule() {
    return new ScheduleConfig(1024, null, null, BetaSchedule.SQUAREDCOS_CAP_V2, null, PredictionType.SAMPLE, null);
  }

  /** DDIM on {@link #schedule()}, trailing spacing, no clipping. */
  static DdimSampler ddim() {
    var json = schedule().toJson().put("timestep_spacing", "trailing").put("clip_sample", false);
    return new DdimSampler(Configs.read(json, DdimConfig.class, "test"));
  }

  /** Writes a random-weight teacher of {@code arch} to {@code file}. */
  static Path write(Architecture arch, long[] sampleShape, int numClasses, Path file, long seed) throws IOException {
    Graph g = new Graph("teacher");
    Map<String, Value> in = arch.declareInputs(g);
    g.output("out", arch.build(g, in).get("out"));
    Weights w = Weights.initialize(g, seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (Tensor t : w.asMap().values()) {
      for (int i = 0; i < t.size(); i++) {
        t.set(i, t.get(i) + 0.3 * rng.nextGaussian());
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("kiln_task", "diffusion");
    meta.put("scheduler_config", schedule().toJson().put("clip_sample", false).toString());
    meta.put("sample_shape", Arrays.toString(sampleShape));
    if (numClasses > 0) {
      meta.put("num_classes", Integer.toString(numClasses));
    }
    ModelWriter.of(g).onlyOutputs("out").weights(w.toProtos()).metadata(meta).write(file);
    return file;
  }
}
