package dev.kiln.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes config records: snake_case JSON fields ({@code beta_end} for {@code betaEnd}),
 * unknown fields rejected, and errors that say where ({@code recipe.json: sampler: unknown field
 * `beta_ennd`; known fields: beta_start, beta_end, …}). A record component marked {@link Inline} is
 * read from and written to its parent's own fields, so configs that share a group of fields (the noise
 * schedule) declare it once and still read diffusers' flat JSON.
 */
public final class Configs {

  /**
   * The fields of this record component sit flat in the parent's JSON object rather than under the
   * component's name: {@code DdimConfig(@Inline ScheduleConfig schedule, …)} reads {@code beta_end},
   * not {@code schedule.beta_end}. The component's type must be a record; its absent fields take
   * their defaults.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Inline {}

  /** The largest config or recipe file read, in bytes. */
  public static final long MAX_FILE_BYTES = 1 << 20;
  /** The deepest nesting of JSON objects and arrays a config may have. */
  public static final int MAX_DEPTH = 64;

  private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
          .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
              .maxNestingDepth(MAX_DEPTH).maxStringLength((int) MAX_FILE_BYTES).build())
          .build())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      // "steps": 1.5 is a mistake to report, not a 1 to run.
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      // diffusers writes -Infinity (e.g. DPM-Solver's lambda_min_clipped) in its scheduler configs.
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());

  private Configs() {}

  /**
   * Reads a config file as hostile input: a regular file of at most {@link #MAX_FILE_BYTES} bytes of
   * UTF-8 JSON nested at most {@link #MAX_DEPTH} deep; errors name the file and say what is wrong.
   *
   * @param what what the file is, for messages ("recipe", "--scheduler-config")
   */
  public static JsonNode readFile(java.nio.file.Path path, String what) {
    if (java.nio.file.Files.isDirectory(path)) {
      throw new ConfigException(what + " " + path + " is a folder; give the JSON file inside it");
    }
    if (!java.nio.file.Files.isRegularFile(path)) {
      throw new ConfigException(what + " " + path + " does not exist");
    }
    String text;
    try {
      long size = java.nio.file.Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new ConfigException(what + " " + path + " is " + size + " bytes; a config is at most " + MAX_FILE_BYTES
            + " bytes of JSON");
      }
      text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(path))).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException(what + " " + path + " is not UTF-8 text; a config is a JSON file");
    } catch (java.io.IOException e) {
      throw new ConfigException(what + " " + path + " cannot be read: " + e.getMessage(), e);
    }
    return parse(text, what + " " + path);
  }

  /** Parses JSON text from {@code origin}; errors say where in it the text stops being JSON. */
  public static JsonNode parse(String text, String origin) {
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw new ConfigException(origin + " is empty; expected a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw new ConfigException(origin + ": nested deeper than " + MAX_DEPTH + " levels or too long; not a config", e);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new ConfigException(origin + ": not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
          + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Puts {@code FIELD=VALUE} pairs into {@code into} (the {@code --set} options of the command line): a
   * value is read as JSON ({@code 0.5}, {@code true}, {@code [1, 2]}), else taken as a string
   * ({@code trailing}).
   *
   * @param option the option's name, for the error a pair without {@code =} gets
   */
  public static ObjectNode putSettings(ObjectNode into, java.util.List<String> pairs, String option) {
    for (String s : pairs) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(option + " expects FIELD=VALUE, got `" + s + "`");
      }
      String v = s.substring(eq + 1);
      try {
        into.set(s.substring(0, eq), MAPPER.readTree(v));
      } catch (JsonProcessingException e) {
        into.put(s.substring(0, eq), v);
      }
    }
    return into;
  }

  /** The shared mapper (snake_case, strict). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Reads {@code node} into {@code type}. Fields starting with {@code _} are skipped, so a diffusers
   * {@code scheduler_config.json} with its {@code _class_name} loads unchanged.
   *
   * @param where how errors name the place, e.g. {@code "recipes/ddpm.json: sampler"}
   */
  public static <C> C read(JsonNode node, Class<C> type, String where) {
    if (node != null && !node.isNull() && !node.isObject()) {
      // found by fuzzing: "optimizer": "adam" once reached a ClassCastException here
      throw new ConfigException(where + ": expected a JSON object of fields, got " + node.getNodeType().name()
          .toLowerCase(Locale.ROOT) + " " + abbreviated(node));
    }
    ObjectNode copy = node == null || node.isNull() ? MAPPER.createObjectNode() : ((ObjectNode) node).deepCopy();
    copy.properties().removeIf(e -> e.getKey().startsWith("_"));
    try {
      nestInline(copy, type, where);
      return MAPPER.treeToValue(copy, type);
    } catch (UnrecognizedPropertyException e) {
      Class<?> owner = e.getReferringClass();
      var ids = owner != null && owner.isRecord() ? fieldNames(owner) : e.getKnownPropertyIds();
      throw unknownField(where, e.getPropertyName(), ids, e);
    } catch (InvalidFormatException e) {
      Class<?> target = e.getTargetType();
      boolean integral = target == Integer.class || target == Long.class || target == int.class
          || target == long.class || target == Short.class || target == short.class;
      throw new ConfigException(where + ": field `" + path(e) + "` " + (integral ? "must be an integer, got "
          : "has invalid value ") + e.getValue(), e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException(where + ": " + cause.getMessage(), e);
    } catch (MismatchedInputException e) {
      throw new ConfigException(where + ": field `" + path(e) + "` has the wrong type ("
          + e.getOriginalMessage().split("\n")[0] + ")", e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(where + ": " + e.getOriginalMessage(), e);
    }
  }

  private static String abbreviated(JsonNode node) {
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }

  /** Writes a config as a JSON tree with snake_case names, {@link Inline} components flat. */
  public static JsonNode toTree(Object config) {
    JsonNode tree = MAPPER.valueToTree(config);
    if (config != null && tree.isObject()) {
      flattenInline((ObjectNode) tree, config.getClass());
    }
    return tree;
  }

  /**
   * The JSON field names a config record reads (its components in snake_case, an {@link Inline}
   * component's own fields in its place), for filtering shared settings down to what one provider
   * knows; empty for a type that is not a record.
   */
  public static Set<String> fieldNames(Class<?> type) {
    Set<String> names = new LinkedHashSet<>();
    if (type.isRecord()) {
      for (var c : type.getRecordComponents()) {
        if (inline(c)) {
          names.addAll(fieldNames(c.getType()));
        } else {
          names.add(snake(c));
        }
      }
    }
    return names;
  }

  /**
   * Moves the fields of each inline component of {@code type} from {@code node} into an object under
   * the component's name (present even when empty, so the component takes its defaults), at every
   * depth of nested records.
   */
  private static void nestInline(ObjectNode node, Class<?> type, String where) {
    if (!type.isRecord()) {
      return;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      String name = snake(c);
      if (inline(c)) {
        if (node.has(name)) {
          // Written nested, the group is not what the flat format says: name the field the reader wrote.
          throw unknownField(where, name, fieldNames(type), null);
        }
        ObjectNode group = MAPPER.createObjectNode();
        for (String f : fieldNames(c.getType())) {
          if (node.has(f)) {
            group.set(f, node.remove(f));
          }
        }
        nestInline(group, c.getType(), where);
        node.set(name, group);
      } else if (node.get(name) instanceof ObjectNode child) {
        nestInline(child, c.getType(), where);
      }
    }
  }

  /** The reverse of {@link #nestInline}: each inline component's object merged into its parent. */
  private static void flattenInline(ObjectNode node, Class<?> type) {
    if (!type.isRecord()) {
      return;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode value = node.get(snake(c));
      if (value instanceof ObjectNode child) {
        flattenInline(child, c.getType());
      }
      if (inline(c) && value != null) {
        node.remove(snake(c));
        if (value instanceof ObjectNode child) {
          node.setAll(child);
        }
      }
    }
  }

  private static ConfigException unknownField(String where, String field, Collection<?> known, Throwable cause) {
    return new ConfigException(where + ": unknown field `" + field + "`; known fields: "
        + known.stream().map(Object::toString).sorted().collect(Collectors.joining(", ")), cause);
  }

  private static boolean inline(RecordComponent c) {
    return c.isAnnotationPresent(Inline.class) && c.getType().isRecord();
  }

  private static String snake(RecordComponent c) {
    return c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }

  /** Where in the JSON the error is, as the reader wrote it: inline components leave no segment. */
  private static String path(MismatchedInputException e) {
    return e.getPath().stream().filter(r -> !inlineReference(r))
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static boolean inlineReference(JsonMappingException.Reference r) {
    Object from = r.getFrom();
    Class<?> owner = from instanceof Class<?> k ? k : from == null ? Object.class : from.getClass();
    if (r.getFieldName() == null || !owner.isRecord()) {
      return false;
    }
    for (RecordComponent c : owner.getRecordComponents()) {
      if (inline(c) && snake(c).equals(r.getFieldName())) {
        return true;
      }
    }
    return false;
  }
}
