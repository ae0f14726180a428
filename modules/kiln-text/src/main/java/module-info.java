/**
 * Character-level language modelling: {@link dev.kiln.text.CharLmTask} over text Kiln ships,
 * the causal decoder-only {@link dev.kiln.text.lm.TransformerLm}, and the σReparam learning-rate sweep
 * (the study lives in kiln-experiments).
 */
module dev.kiln.text {
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.nn;

  exports dev.kiln.text;
  exports dev.kiln.text.lm;
  opens dev.kiln.text to com.fasterxml.jackson.databind;
  opens dev.kiln.text.lm to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.TaskProvider with dev.kiln.text.CharLmTaskProvider;
  provides dev.kiln.spi.ArchitectureProvider with dev.kiln.text.lm.TransformerLmProvider;
}
