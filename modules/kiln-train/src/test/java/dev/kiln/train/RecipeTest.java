package dev.kiln.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.Test;

class RecipeTest {

  private static final String RECIPE = """
      {"name": "r", "seed": 3,
       "task": {"type": "diffusion", "data": "8gaussians"},
       "architecture": {"type": "mlp-denoiser"},
       "optimizer": {"type": "adamw", "lr": 0.002, "weight_decay": 0.05},
       "schedule": {"type": "cosine", "warmup_steps": 10},
       "trainer": {"steps": 100}}
      """;

  @Test
  void typedSectionsKeepTheirTypeField() {
    Recipe r = Recipe.parse(RECIPE, "r.json");
    assertThat(r.optimizer().type()).isEqualTo("adamw");
    assertThat(r.optimizer().weightDecay()).isEqualTo(0.05);
    assertThat(r.schedule().type()).isEqualTo("cosine");
    assertThat(r.trainer().steps()).isEqualTo(100);
    assertThat(r.seed()).isEqualTo(3);
    assertThat(r.type("task")).isEqualTo("diffusion");
  }

  @Test
  void errorsNameTheFileSectionAndField() {
    assertThatThrownBy(() -> Recipe.parse(RECIPE.replace("\"weight_decay\"", "\"wieght_decay\""), "r.json")
        .optimizer()).hasMessageContaining("r.json: optimizer: unknown field `wieght_decay`")
        .hasMessageContaining("weight_decay");
    assertThatThrownBy(() -> Recipe.parse(RECIPE.replace("\"steps\": 100", "\"steps\": -1"), "r.json").trainer())
        .hasMessageContaining("r.json: trainer").hasMessageContaining("`steps` must be >= 1, got -1");
    assertThatThrownBy(() -> Recipe.parse("{\"task\": 1}", "bad.json")).hasMessageContaining("bad.json");
    assertThatThrownBy(() -> Recipe.parse("{nope", "bad.json")).hasMessageContaining("bad.json: not valid JSON");
    assertThatThrownBy(() -> Recipe.parse(RECIPE.replace("\"seed\"", "\"sed\""), "r.json"))
        .hasMessageContaining("unknown field `sed`");
  }

  @Test
  void overridesReplaceNestedFields() {
    Recipe r = Recipe.parse(RECIPE, "r.json").with("trainer.steps", IntNode.valueOf(7));
    assertThat(r.trainer().steps()).isEqualTo(7);
  }
}
