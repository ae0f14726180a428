package dev.kiln.nerf.ssd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import org.junit.jupiter.api.Test;

/** The SSDNeRF config reads and writes snake_case JSON and names bad fields. */
class SsdNerfConfigTest {

  @Test
  void defaultsRoundTripThroughSnakeCaseJson() {
    SsdNerfConfig c = SsdNerfConfig.defaults();
    JsonNode json = Configs.toTree(c);
    assertThat(json.at("/model/pixel_weight").asDouble()).isEqualTo(20.0);
    assertThat(json.at("/training/inner_steps_warmup").asInt()).isEqualTo(8);
    assertThat(json.at("/model/field/code_channels").isMissingNode()).isTrue();
    assertThat(Configs.read(json, SsdNerfConfig.class, "test")).isEqualTo(c);
  }

  @Test
  void paperConstantsAreTheDefaults() {
    SsdNerfConfig.Model m = SsdNerfConfig.Model.defaults();
    assertThat(m.omega()).isEqualTo(0.5);
    assertThat(m.diffusionWeight()).isEqualTo(4.0);
    assertThat(m.codeRegularizer()).isEqualTo(3e-3);
    assertThat(m.codeScale()).isEqualTo(2.0);
    assertThat(m.renderWeight(16)).isEqualTo(20 * (1 - Math.exp(-1.6)));
  }

  @Test
  void invalidValueIsReportedWithItsField() {
    JsonNode bad = Configs.mapper().createObjectNode().set("training",
        Configs.mapper().createObjectNode().put("code_lr", -1));
    assertThatThrownBy(() -> Configs.read(bad, SsdNerfConfig.class, "recipe"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("code_lr").hasMessageContaining("-1");
  }
}
