/**
 * Language modelling on text Kiln ships: {@link dev.kiln.text.CharLmTask} over Kiln's own sources and
 * the causal decoder-only {@link dev.kiln.text.lm.TransformerLm} (the σReparam study lives in
 * kiln-experiments); the State of the Union paragraphs ({@link dev.kiln.text.corpus}), a BPE
 * tokenizer ({@link dev.kiln.text.bpe}), and PLANNER, latent paragraph diffusion with an
 * autoregressive decoder ({@link dev.kiln.text.planner}).
 */
module dev.kiln.text {
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.nn;
  requires transitive dev.kiln.train;
  requires transitive dev.kiln.inference;
  requires transitive dev.kiln.diffusion;

  exports dev.kiln.text;
  exports dev.kiln.text.lm;
  exports dev.kiln.text.corpus;
  exports dev.kiln.text.bpe;
  exports dev.kiln.text.planner;
  exports dev.kiln.text.metrics;
  opens dev.kiln.text to com.fasterxml.jackson.databind;
  opens dev.kiln.text.lm to com.fasterxml.jackson.databind;
  opens dev.kiln.text.planner to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.TaskProvider with dev.kiln.text.CharLmTaskProvider;
  provides dev.kiln.spi.ArchitectureProvider with dev.kiln.text.lm.TransformerLmProvider;
  provides java.util.spi.ToolProvider with dev.kiln.text.planner.GenerateTool, dev.kiln.text.planner.PlannerTool;
  provides dev.kiln.spi.FolderModelProvider with dev.kiln.text.planner.TextFolderModels;
}
