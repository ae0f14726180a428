/** Image classification: {@link dev.kiln.vision.ClassificationTask}, classifiers, the zoo digit classifier. */
module dev.kiln.vision {
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.nn;
  requires transitive dev.kiln.data;

  exports dev.kiln.vision;
  opens dev.kiln.vision to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.TaskProvider with dev.kiln.vision.ClassificationTaskProvider;
  provides dev.kiln.spi.ArchitectureProvider with dev.kiln.vision.MlpClassifierProvider;
}
