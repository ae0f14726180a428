package dev.kiln.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.diffusion.samplers.DdimProvider;
import dev.kiln.spi.SamplerProvider;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClassPathProvidersTest {

  @Test
  void theClassPathFindsEverySamplerTheModuleDeclares() throws Exception {
    Path diffusion = Path.of(DdimProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor descriptor = ModuleFinder.of(diffusion).findAll().iterator().next().descriptor();
    var declared = descriptor.provides().stream().filter(p -> p.service().equals(SamplerProvider.class.getName()))
        .flatMap(p -> p.providers().stream()).toList();
    var found = ExecutorRuntime.samplers().values().stream().map(p -> p.getClass().getName()).toList();
    assertThat(declared).isNotEmpty();
    assertThat(found).containsExactlyInAnyOrderElementsOf(declared);
  }
}
