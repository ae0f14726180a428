/**
 * Self-supervised image features: seeded, composable augmentations that record what they changed
 * ({@link dev.kiln.ssl.augment}), image sets with independent factors ({@link dev.kiln.ssl.data}), a small
 * ResNet encoder and an expander ({@link dev.kiln.ssl.model}), the VICReg and MAST objectives
 * ({@link dev.kiln.ssl.objective}), pre-training ({@link dev.kiln.ssl.Pretraining}), linear probes on
 * frozen features ({@link dev.kiln.ssl.probe}) and the recipe form of pre-training, the {@code ssl} task
 * and {@code ssl-resnet} architecture ({@link dev.kiln.ssl.task}).
 */
module dev.kiln.ssl {
  requires transitive dev.kiln.nn;
  requires transitive dev.kiln.data;
  requires transitive dev.kiln.train;

  exports dev.kiln.ssl;
  exports dev.kiln.ssl.augment;
  exports dev.kiln.ssl.data;
  exports dev.kiln.ssl.model;
  exports dev.kiln.ssl.objective;
  exports dev.kiln.ssl.probe;
  exports dev.kiln.ssl.task;
  opens dev.kiln.ssl.task to com.fasterxml.jackson.databind;
  opens dev.kiln.ssl.model to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.TaskProvider with dev.kiln.ssl.task.SslTaskProvider;
  provides dev.kiln.spi.ArchitectureProvider with dev.kiln.ssl.model.SslArchitectureProvider;
}
