package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.SamplerProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The sampler settings {@code kiln sample} and {@code kiln eval} take on top of the model's own: a
 * diffusers {@code scheduler_config.json} and {@code --set FIELD=VALUE} pairs, in that order.
 */
final class SamplerSettings {

  @Option(names = "--scheduler-config", paramLabel = "FILE", description = {"a diffusers scheduler_config.json:",
      "its fields override the model's sampler settings (unknown fields are errors), and its _class_name",
      "chooses the sampler unless --sampler does"})
  Path schedulerConfig;

  @Option(names = "--set", paramLabel = "FIELD=VALUE",
      description = "sampler setting with diffusers' names, e.g. --set eta=0.5 --set timestep_spacing=trailing")
  List<String> settings = new ArrayList<>();

  private ObjectNode read;

  /** The overrides: the scheduler config's fields, then the {@code --set} pairs. */
  ObjectNode overrides() throws IOException {
    ObjectNode o = file();
    o.properties().removeIf(e -> e.getKey().startsWith("_"));
    return Configs.putSettings(o, settings, "--set");
  }

  /** The sampler asked for: {@code requested}, else the one that reads the scheduler config's class, else null. */
  String sampler(String requested, Map<String, SamplerProvider<?>> providers) throws IOException {
    if (requested != null || schedulerConfig == null) {
      return requested;
    }
    JsonNode cls = file().get("_class_name");
    if (cls == null) {
      return null;
    }
    return providers.values().stream().filter(p -> p.diffusersSchedulers().contains(cls.asText())).map(p -> p.name())
        .findFirst().orElseThrow(() -> new ConfigException(schedulerConfig + ": field `_class_name` names "
            + cls.asText() + ", which no Kiln sampler reads; choose one with --sampler"));
  }

  /** Where errors in the settings are reported. */
  String where(String sampler) {
    return schedulerConfig != null ? schedulerConfig + " (sampler " + sampler + ")" : "sampler " + sampler;
  }

  /** The scheduler config's fields (a copy), read once however often the settings are asked for. */
  private ObjectNode file() throws IOException {
    if (read == null) {
      if (schedulerConfig == null) {
        read = Configs.mapper().createObjectNode();
      } else {
        JsonNode n = Configs.readFile(schedulerConfig, "--scheduler-config");
        if (!(n instanceof ObjectNode o)) {
          throw new ConfigException(schedulerConfig + ": expected a JSON object of scheduler fields");
        }
        read = o;
      }
    }
    return read.deepCopy();
  }
}
