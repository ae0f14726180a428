package dev.kiln.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Collectors;

/**
 * Reads and writes config records: snake_case JSON fields ({@code beta_end} for {@code betaEnd}),
 * unknown fields rejected, and errors that say where ({@code recipe.json: sampler: unknown field
 * `beta_ennd`; known fields: beta_start, beta_end, …}).
 */
public final class Configs {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      // diffusers writes -Infinity (e.g. DPM-Solver's lambda_min_clipped) in its scheduler configs.
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());

  private Configs() {}

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
    ObjectNode copy = node == null || node.isNull() ? MAPPER.createObjectNode() : ((ObjectNode) node).deepCopy();
    copy.properties().removeIf(e -> e.getKey().startsWith("_"));
    try {
      return MAPPER.treeToValue(copy, type);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException(where + ": unknown field `" + e.getPropertyName() + "`; known fields: " + known, e);
    } catch (InvalidFormatException e) {
      throw new ConfigException(where + ": field `" + path(e) + "` has invalid value " + e.getValue(), e);
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

  /** Writes a config as a JSON tree with snake_case names. */
  public static JsonNode toTree(Object config) {
    return MAPPER.valueToTree(config);
  }

  /**
   * The JSON field names a config record reads (its components in snake_case), for filtering shared
   * settings down to what one provider knows; empty for a type that is not a record.
   */
  public static java.util.Set<String> fieldNames(Class<?> type) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    if (type.isRecord()) {
      for (var c : type.getRecordComponents()) {
        names.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
      }
    }
    return names;
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
