package dev.kiln.transformers.serving;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ServingExporter;
import dev.kiln.transformers.model.UniversalTransformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code kiln export}'s adaptive-depth files for Universal Transformers, Hyper-UT and HyperU-ViT
 * ({@link ServingExport}): {@value ServingExport#LOOP}, a plain ONNX model that stops looping once
 * every example in the batch has halted, and the step files for {@link AdaptiveDepthRunner}, which
 * drops halted examples from the batch. Which is faster depends on the batch size; see
 * docs/reproductions/hyper-ut.md.
 */
public final class AdaptiveDepthExporter implements ServingExporter {

  @Override
  public String name() {
    return "adaptive-depth";
  }

  @Override
  public boolean accepts(Architecture architecture) {
    return architecture instanceof UniversalTransformer;
  }

  @Override
  public String write(Path dir, Architecture architecture, Weights weights, OrtBackend backend,
      Map<String, String> metadata) throws IOException {
    UniversalTransformer ut = (UniversalTransformer) architecture;
    ServingExport.write(dir, ut, weights, backend, metadata);
    return "adaptive-depth serving files in " + dir + ": " + ServingExport.LOOP + " (one ONNX model, stops when"
        + " the whole batch has halted; at most " + ut.halting().maxSteps() + " steps), " + ServingExport.EMBED + ", "
        + ServingExport.STEP + ", " + ServingExport.HEAD + " and " + ServingExport.SETTINGS
        + " (AdaptiveDepthRunner.load: a Java loop that drops halted examples)";
  }
}
