package dev.kiln.text.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.GenerationControl;
import dev.kiln.text.bpe.BpeTokenizer;
import dev.kiln.text.corpus.SotuParagraphs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exported PLANNER and language-model folders as {@code kiln serve} models. A generate request takes
 * the fields of {@code kiln generate}: {@code prefix} (text the paragraphs continue), {@code attribute}
 * (a class, e.g. the party of a State of the Union paragraph), {@code count}, {@code seed}, and for
 * PLANNER {@code steps} (DDIM) and {@code guidance}, for a language model {@code top_p} and {@code top_k}
 * (0: greedy). The answer is a {@code BYTES} output {@code text}: one paragraph per row, prefix included.
 */
public final class TextFolderModels implements FolderModelProvider {

  /** Every field a text generate request may name; any other is refused. */
  static final Set<String> FIELDS = Set.of("id", "prefix", "attribute", "count", "seed", "steps", "guidance",
      "top_p", "top_k", "format");

  @Override
  public String name() {
    return "text";
  }

  @Override
  public boolean recognises(Path folder) {
    return TextModel.isTextFolder(folder);
  }

  @Override
  public FolderModel open(Path folder, OrtBackend backend) throws IOException {
    TextModel model = TextModel.open(folder, backend);
    return new FolderModel() {
      @Override
      public ObjectNode parameters() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("kind", model.kind());
        p.put("num_classes", model.classes());
        p.putArray("fields").add("prefix").add("attribute").add("count").add("seed")
            .add(model.kind().equals(Planner.KIND) ? "steps" : "top_p")
            .add(model.kind().equals(Planner.KIND) ? "guidance" : "top_k");
        return p;
      }

      @Override
      public List<Output> generate(JsonNode request) {
        return generate(request, GenerationControl.alone());
      }

      @Override
      public List<Output> generate(JsonNode request, GenerationControl control) {
        TextRequest r = parse(request);
        List<String> texts = new ArrayList<>();
        for (String t : model.generate(r, control)) {
          texts.add(r.prefix() == null ? t : r.prefix() + " " + t);
        }
        return List.of(Output.ofStrings("text", texts));
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }

  /**
   * A PLANNER folder of initialised weights (a tokenizer of 100 merges learned from 200 training
   * paragraphs, 3 attributes, 10-token paragraphs).
   */
  @Override
  public Path writeExample(Path dir) throws IOException {
    BpeTokenizer tok = BpeTokenizer.train(SotuParagraphs.load().train().subList(0, 200).stream()
        .map(SotuParagraphs.Paragraph::text).toList(), 100, PlannerText.specials(3));
    PlannerConfig c = new PlannerConfig(tok.size(), 10, 2, 4, 16, 1, 2, 16, 1, 2, 3, 3);
    Path folder = dir.resolve("planner-example");
    Planner.export(folder, c, tok, Weights.initialize(PlannerTraining.embedderGraph(c, 1e-5).graph(), 1),
        Weights.initialize(PlannerTraining.denoiserGraph(c).graph(), 2), Map.of());
    return folder;
  }

  @Override
  public List<JsonNode> exampleRequests() {
    ObjectNode plain = JsonNodeFactory.instance.objectNode().put("count", 2).put("seed", 1);
    ObjectNode all = JsonNodeFactory.instance.objectNode().put("count", 1).put("seed", 2).put("attribute", 1)
        .put("prefix", "the people").put("steps", 4).put("guidance", 2.0);
    return List.of(plain, all);
  }

  /** The request's fields as a {@link TextRequest}; a bad one is a {@link ConfigException} naming it. */
  public static TextRequest parse(JsonNode req) {
    req.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        throw new ConfigException("unknown field `" + f + "` for a text model; fields: "
            + new java.util.TreeSet<>(FIELDS));
      }
    });
    if (req.hasNonNull("format") && !req.get("format").asText().equals("text")) {
      throw new ConfigException("format: a text model answers `text`, got " + req.get("format"));
    }
    String prefix = null;
    if (req.hasNonNull("prefix")) {
      if (!req.get("prefix").isTextual()) {
        throw new ConfigException("prefix must be a string, got " + req.get("prefix"));
      }
      prefix = req.get("prefix").asText();
    }
    Integer attribute = req.hasNonNull("attribute") ? (int) integer(req, "attribute") : null;
    int count = req.hasNonNull("count") ? (int) integer(req, "count") : 1;
    long seed = req.hasNonNull("seed") ? integer(req, "seed") : 0;
    int steps = req.hasNonNull("steps") ? (int) integer(req, "steps") : 20;
    int topK = req.hasNonNull("top_k") ? (int) integer(req, "top_k") : 0;
    try {
      return new TextRequest(attribute, prefix, count, seed, number(req, "guidance", 1), steps,
          number(req, "top_p", 0), topK);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static long integer(JsonNode req, String key) {
    JsonNode v = req.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || (!v.canConvertToInt() && !key.equals("seed"))) {
      throw new ConfigException(key + " must be an integer, got " + v);
    }
    return v.asLong();
  }

  private static double number(JsonNode req, String key, double fallback) {
    if (!req.hasNonNull(key)) {
      return fallback;
    }
    JsonNode v = req.get(key);
    if (!v.isNumber()) {
      throw new ConfigException(key + " must be a number, got " + v);
    }
    return v.asDouble();
  }
}
