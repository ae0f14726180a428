package dev.kiln.experiments.agm;

import dev.kiln.spi.process.DeType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.train.Recipe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ZooRecipeTest {

  @Test
  void zooRecipeIsTheOneTheExperimentTrains() throws Exception {
    Recipe zoo = Recipe.read(Path.of("../../model-zoo/agm-8gaussians/recipe.json"));
    ObjectNode trained = new ComparisonTraining(ComparisonSettings.toy(false, 3), null, null)
        .agmRecipe(DeType.PROB_ODE);
    for (String section : new String[] {"seed", "task", "architecture", "optimizer", "schedule", "trainer"}) {
      assertThat(zoo.json().get(section)).as("section %s", section).isEqualTo(trained.get(section));
    }
  }
}
