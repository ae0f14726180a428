package dev.kiln.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import java.nio.file.Path;
import java.util.Set;

/**
 * A training recipe: which task, architecture, optimizer, schedule and trainer settings, and the
 * seed. Provider sections ({@code task}, {@code architecture}, {@code sampler}) name their provider
 * with {@code "type"} and are read by that provider's config record.
 *
 * @param origin where the recipe came from, for error messages
 * @param json the whole recipe as written
 */
public record Recipe(String origin, ObjectNode json) {

  private static final Set<String> FIELDS = Set.of("name", "description", "seed", "task", "architecture",
      "optimizer", "schedule", "trainer", "sampler", "sample", "export");

  public Recipe {
    json.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        throw new ConfigException(origin + ": unknown field `" + f + "`; known fields: "
            + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    });
    for (String required : new String[] {"task", "architecture", "trainer"}) {
      if (!json.has(required) || !json.get(required).isObject()) {
        throw new ConfigException(origin + ": missing section `" + required + "`");
      }
    }
  }

  /** Reads a recipe file, treating it as hostile (see {@link Configs#readFile}). */
  public static Recipe read(Path path) {
    return of(Configs.readFile(path, "recipe"), "recipe " + path, path.toString());
  }

  /** Parses recipe JSON. */
  public static Recipe parse(String text, String origin) {
    return of(Configs.parse(text, origin), origin, origin);
  }

  private static Recipe of(JsonNode n, String described, String origin) {
    if (!n.isObject()) {
      throw new ConfigException(described + ": a recipe is a JSON object, got " + n.getNodeType().name()
          .toLowerCase(java.util.Locale.ROOT));
    }
    return new Recipe(origin, (ObjectNode) n);
  }

  public String name() {
    return json.path("name").asText("run");
  }

  public long seed() {
    JsonNode s = json.get("seed");
    if (s != null && !s.canConvertToLong()) {
      throw new ConfigException(origin + ": field `seed` must be an integer, got " + s);
    }
    return s == null ? 0 : s.asLong();
  }

  /** A provider section's {@code type}. */
  public String type(String section) {
    JsonNode t = json.path(section).get("type");
    if (t == null || !t.isTextual()) {
      throw new ConfigException(origin + ": section `" + section + "` needs a string field `type`");
    }
    return t.asText();
  }

  /** A section as JSON (an empty object if absent). */
  public JsonNode section(String section) {
    JsonNode n = json.get(section);
    return n == null ? Configs.mapper().createObjectNode() : n;
  }

  /** Whether the recipe has a section. */
  public boolean has(String section) {
    return json.has(section);
  }

  public OptimizerConfig optimizer() {
    return Configs.read(section("optimizer"), OptimizerConfig.class, origin + ": optimizer");
  }

  public LrSchedule schedule() {
    return Configs.read(section("schedule"), LrSchedule.class, origin + ": schedule");
  }

  public TrainerConfig trainer() {
    return Configs.read(section("trainer"), TrainerConfig.class, origin + ": trainer");
  }

  /** A copy with {@code section.field} set (command-line overrides such as {@code trainer.steps=100}). */
  public Recipe with(String dottedField, JsonNode value) {
    ObjectNode copy = json.deepCopy();
    String[] parts = dottedField.split("\\.");
    ObjectNode at = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = at.get(parts[i]);
      if (next == null || !next.isObject()) {
        next = at.putObject(parts[i]);
      }
      at = (ObjectNode) next;
    }
    at.set(parts[parts.length - 1], value);
    return new Recipe(origin, copy);
  }

  /** The recipe as compact JSON (stored in checkpoints and model metadata). */
  public String toJson() {
    return json.toString();
  }
}
