package dev.kiln.diffusion.samplers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.io.UncheckedIOException;
import java.util.Map;

/** Samplers made the way a recipe makes them: a provider found by name, a JSON section. */
final class Recipes {

  /** Python's json writes −∞ as {@code -Infinity}, as in diffusers' {@code lambda_min_clipped}. */
  private static final JsonMapper PYTHON_JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  static final Map<String, SamplerProvider<?>> PROVIDERS = Providers.load(SamplerProvider.class);

  private Recipes() {}

  static JsonNode json(String text) {
    try {
      return PYTHON_JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Sampler sampler(String name, String json) {
    return Providers.create(Providers.named(PROVIDERS, name, "test"), json(json), "test: sampler");
  }
}
