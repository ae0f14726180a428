package dev.kiln.text;

/**
 * The {@code "char-lm"} task section of a recipe.
 *
 * @param corpus the text to model; {@value CharCorpus#KILN_SOURCES} (Kiln's own sources) ships
 * @param batchSize sequences per step
 * @param contextLength characters the model reads per sequence (must equal the architecture's)
 * @param evalWindows held-out windows of {@code context_length + 1} characters scored by evaluation
 *     (non-overlapping, from the start of the held-out text; capped by its length)
 */
public record CharLmTaskConfig(String corpus, Integer batchSize, Integer contextLength, Integer evalWindows) {

  public CharLmTaskConfig {
    corpus = corpus == null ? CharCorpus.KILN_SOURCES : corpus;
    batchSize = batchSize == null ? 32 : batchSize;
    contextLength = contextLength == null ? 64 : contextLength;
    evalWindows = evalWindows == null ? 256 : evalWindows;
    if (batchSize < 1) {
      throw new IllegalArgumentException("char-lm task field `batch_size` must be >= 1, got " + batchSize);
    }
    if (contextLength < 2 || contextLength > 4096) {
      throw new IllegalArgumentException("char-lm task field `context_length` must be in [2, 4096], got "
          + contextLength);
    }
    if (evalWindows < 1) {
      throw new IllegalArgumentException("char-lm task field `eval_windows` must be >= 1, got " + evalWindows);
    }
  }
}
