/**
 * Transformer encoders with fixed and adaptive depth ({@link dev.kiln.transformers.model}), the
 * conditional pointer value retrieval and ACT classification tasks ({@link dev.kiln.transformers.tasks}),
 * adaptive-depth serving ({@link dev.kiln.transformers.serving}) and the Hyper-UT studies.
 */
module dev.kiln.transformers {
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.nn;
  requires transitive dev.kiln.data;
  requires transitive dev.kiln.vision;
  requires transitive dev.kiln.inference;

  exports dev.kiln.transformers.model;
  exports dev.kiln.transformers.tasks;
  exports dev.kiln.transformers.serving;
  opens dev.kiln.transformers.model to com.fasterxml.jackson.databind;
  opens dev.kiln.transformers.tasks to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.ArchitectureProvider with
      dev.kiln.transformers.model.TransformerEncoderProvider,
      dev.kiln.transformers.model.UniversalTransformerProvider,
      dev.kiln.transformers.model.HyperUtProvider,
      dev.kiln.transformers.model.VitProvider,
      dev.kiln.transformers.model.HyperUVitProvider;
  provides dev.kiln.spi.TaskProvider with
      dev.kiln.transformers.tasks.CpvrTaskProvider,
      dev.kiln.transformers.tasks.PonderClassificationTaskProvider;
  provides dev.kiln.spi.ServingExporter with dev.kiln.transformers.serving.AdaptiveDepthExporter;
}
