package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.TaskProvider;
import dev.kiln.train.TrainingModule;
import dev.kiln.train.TrainingRun;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Guice collects every provider ServiceLoader finds on the module path into name-keyed maps. */
class WiringTest {

  @Test
  void providersFromEveryModuleAreBoundByName() {
    Injector injector = Guice.createInjector(new TrainingModule(BackendOptions.cpu(1)));
    Map<String, TaskProvider<?>> tasks = injector.getInstance(Key.get(new TypeLiteral<Map<String, TaskProvider<?>>>() {}));
    Map<String, ArchitectureProvider<?>> archs =
        injector.getInstance(Key.get(new TypeLiteral<Map<String, ArchitectureProvider<?>>>() {}));
    assertThat(tasks).containsKeys("diffusion", "classification", "ssl");
    assertThat(archs).containsKeys("mlp-denoiser", "unet", "mlp-classifier", "ssl-resnet");
    assertThat(injector.getInstance(TrainingRun.class)).isNotNull();
    assertThat(injector.getInstance(OrtBackend.class)).isSameAs(injector.getInstance(OrtBackend.class));
  }
}
