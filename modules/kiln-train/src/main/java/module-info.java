/**
 * Training on ONNX Runtime: {@link dev.kiln.train.TrainStep} compiles forward, loss and backward
 * into one session over zero-copy buffers; {@link dev.kiln.train.Trainer} runs the loop with an
 * {@link dev.kiln.train.Optimizer}, schedules, EMA, checkpoints and a metrics log.
 */
module dev.kiln.train {
  requires transitive dev.kiln.autodiff;
  requires transitive dev.kiln.runtime;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.inference;
  requires transitive com.google.guice;
  requires transitive jakarta.inject;

  exports dev.kiln.train;
  uses dev.kiln.spi.ServingExporter;
  opens dev.kiln.train to com.fasterxml.jackson.databind, com.google.guice;
}
