package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import org.junit.jupiter.api.Test;

class NerfDiffConfigTest {

  @Test
  void aRecipeSetsTheDistillationConstantsBySnakeCaseNames() {
    NerfDiffConfig c = Configs.read(Configs.parse("""
        {"distillation": {"guidance": 2.5, "ddim_steps": 10, "t_max": 0.9, "finetune_steps": 3,
          "rays_per_step": 128, "lr": 0.002, "keep_input_view": false}}""", "recipe.json"),
        NerfDiffConfig.class, "recipe.json");
    assertThat(c.distillation()).isEqualTo(new NerfDiffConfig.Distillation(2.5, 10, 0.9, 3, 128, 2e-3, false));
    assertThat(c.model()).isEqualTo(NerfDiffConfig.Model.defaults());
  }

  @Test
  void anOutOfRangeValueIsRefusedNamingTheField() {
    assertThatThrownBy(() -> Configs.read(Configs.parse("{\"distillation\": {\"t_max\": 1.5}}", "recipe.json"),
        NerfDiffConfig.class, "recipe.json"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("recipe.json").hasMessageContaining("t_max")
        .hasMessageContaining("1.5");
  }

  @Test
  void anImageSizeTheUnetCannotHalveIsRefused() {
    assertThatThrownBy(() -> new NerfDiffConfig.Model(15, null, null, null, null, null, null, null, null, null, null,
        null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image_size").hasMessageContaining("15");
  }
}
