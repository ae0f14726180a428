package dev.kiln.cli;

import com.google.inject.Injector;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.fields.FieldData;
import dev.kiln.diffusion.fields.FieldMetrics;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.inference.Domain;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A zoo card's {@code field-quality} evaluation: samples of a field model (DPF) on its training grid,
 * measured as the DPF study measures them ({@code docs/reproductions/dpf.md}).
 *
 * <ul>
 *   <li>plane digits: FD, precision and recall on the zoo digit classifier's features against held-out
 *       digits;
 *   <li>sphere digits: the same on the northern caps read back onto the 28 × 28 plane
 *       ({@link FieldMetrics#sphereToPlane});
 *   <li>occupancy volumes: coverage and minimum matching distance under IoU against as many held-out
 *       shapes as samples ({@link FieldMetrics#coverageAndMmd}).
 * </ul>
 *
 * The samples are what {@code kiln sample MODEL -n COUNT --steps STEPS --seed SEED} draws: the context is
 * {@code context_size} grid points drawn by the seed, the noise comes from the seed batch by batch, and the
 * held-out fields are drawn by the same seed.
 */
final class FieldZooEvaluation {

  private FieldZooEvaluation() {}

  /** The numbers {@code e} measures on the field model {@code model}. */
  static Map<String, Double> measure(Path model, ZooCard.Evaluation e, Injector injector) throws IOException {
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    try (GenerativeModel m = GenerativeModel.load(model, backend)) {
      if (!m.isField()) {
        throw new ConfigException(model + ": evaluation type field-quality needs a field model (metadata"
            + " `field_domain`), and this one has none; use sample-quality");
      }
      FieldSampling field = FieldSampling.of(m, null, null, e.seed());
      Sampling.Drawn drawn = Sampling.plan(injector, field.model(), e.sampler(), e.settings(), e.steps(), e.count(),
          e.seed(), null, 1.0).draw(e.count(), null, null);
      return measure(m, field.domain(), field.resolution(), drawn.samples(), e.seed(), backend);
    }
  }

  /** The README's sentence for a field-quality evaluation. */
  static String describe(String folder, ZooCard.Evaluation e) {
    return "Samples of `" + e.model() + "` on its training grid against held-out fields, as the DPF study measures"
        + " them (`docs/reproductions/dpf.md`): " + e.count() + " samples, "
        + (e.sampler() != null ? "sampler `" + e.sampler() + "`" : "the model's sampler")
        + (e.steps() != null ? ", " + e.steps() + " steps" : "") + ", seed " + e.seed()
        + " (for the noise, the context points and the held-out draw), ONNX Runtime on one CPU thread; the samples"
        + " are those of\n`./kiln sample model-zoo/" + folder + "/" + e.model() + " -n " + e.count()
        + (e.sampler() != null ? " --sampler " + e.sampler() : "") + (e.steps() != null ? " --steps " + e.steps() : "")
        + " --seed " + e.seed() + " --threads 1`.";
  }

  /** The metrics of {@code samples [n, P, 1]} on {@code domain}'s grid at {@code resolution}. */
  static Map<String, Double> measure(GenerativeModel m, Domain domain, int resolution, Tensor samples, long seed,
      OrtBackend backend) {
    int n = (int) samples.dim(0);
    Map<String, Double> out = new LinkedHashMap<>();
    if (domain instanceof Domain.Volume) {
      FieldData data = FieldData.of(m.data(), resolution, n);
      int p = data.pairs();
      double[] ref = new double[n * p];
      data.reference(seed, n, true, ref);
      float[] refs = new float[ref.length];
      for (int i = 0; i < ref.length; i++) {
        refs[i] = (float) ref[i];
      }
      double[] cm = FieldMetrics.coverageAndMmd(samples.toFloatArray(), n, refs, n, p);
      out.put("coverage_iou", cm[0]);
      out.put("mmd_iou", cm[1]);
      return out;
    }
    Tensor digits = domain instanceof Domain.Sphere ? FieldMetrics.sphereToPlane(samples, resolution)
        : samples.reshape(n, 1, resolution, resolution);
    DiffusionTask mnist = new DiffusionTask(new DiffusionTaskConfig("mnist", null, null, false, null));
    try (SampleQuality quality = new SampleQuality(mnist, backend)) {
      Map<String, Double> q = quality.measure(digits, null, seed);
      for (String k : new String[] {"fd", "precision", "recall"}) {
        out.put(k, q.get(k));
      }
    }
    return out;
  }
}
