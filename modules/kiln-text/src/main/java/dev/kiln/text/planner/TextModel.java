package dev.kiln.text.planner;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.GenerationControl;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An exported text folder, opened: a PLANNER model (latents sampled by DDIM, decoded greedily) or a
 * language model (control token, then greedy or nucleus decoding). Holds only its sessions, so
 * concurrent {@link #generate} calls are safe and each gets what it gets alone.
 */
public final class TextModel implements AutoCloseable {

  private final Planner planner;
  private final LanguageModel lm;

  private TextModel(Planner planner, LanguageModel lm) {
    this.planner = planner;
    this.lm = lm;
  }

  /** Whether {@code dir} is an exported PLANNER or language-model folder. */
  public static boolean isTextFolder(Path dir) {
    String kind = DecoderFiles.kind(dir);
    return Planner.KIND.equals(kind) || LanguageModel.KIND.equals(kind);
  }

  /** Opens {@code dir}; an error names the file that is missing or wrong. */
  public static TextModel open(Path dir, OrtBackend backend) throws IOException {
    String kind = DecoderFiles.kind(dir);
    if (Planner.KIND.equals(kind)) {
      return new TextModel(Planner.load(dir, backend), null);
    }
    if (LanguageModel.KIND.equals(kind)) {
      return new TextModel(null, LanguageModel.load(dir, backend));
    }
    throw new NoSuchFileException(dir.resolve(DecoderFiles.PROPERTIES).toString(), null,
        "not an exported PLANNER or language-model folder" + (kind == null ? "" : " (kind `" + kind + "`)"));
  }

  /** {@link Planner#KIND} or {@link LanguageModel#KIND}. */
  public String kind() {
    return planner != null ? Planner.KIND : LanguageModel.KIND;
  }

  /** The attribute classes (an attribute is in [0, classes)). */
  public int classes() {
    return planner != null ? planner.config().classes() : lm.config().classes();
  }

  /** The paragraphs of {@code r}, each without its prefix. */
  public List<String> generate(TextRequest r) {
    return generate(r, GenerationControl.alone());
  }

  /**
   * The paragraphs of {@code r} under {@code control}: a PLANNER model runs its denoiser and decoder
   * calls through it, a language model its decoder calls.
   */
  public List<String> generate(TextRequest r, GenerationControl control) {
    int label = label(r.attribute());
    if (planner != null) {
      return planner.generate(r.count(), label, r.prefix(), r.guidance(), r.steps(), r.seed(), control);
    }
    int[] labels = new int[r.count()];
    Arrays.fill(labels, label);
    int[][] prompts = null;
    if (r.prefix() != null) {
      prompts = new int[r.count()][];
      Arrays.fill(prompts, lm.text().tokenizer().encode(r.prefix()));
    }
    CachedDecoding.Choice choice = r.topP() == 0 ? CachedDecoding.Choice.GREEDY
        : new CachedDecoding.Choice(r.topP(), r.topK());
    return List.of(lm.texts(lm.generate(labels, prompts, choice, new SplittableRandom(r.seed()), control)));
  }

  private int label(Integer attribute) {
    int classes = classes();
    if (attribute == null) {
      return classes;
    }
    if (attribute < 0 || attribute >= classes) {
      throw new IllegalArgumentException("attribute must be in [0, " + classes + ") for this " + kind()
          + " model, got " + attribute);
    }
    return attribute;
  }

  @Override
  public void close() {
    if (planner != null) {
      planner.close();
    } else {
      lm.close();
    }
  }
}
