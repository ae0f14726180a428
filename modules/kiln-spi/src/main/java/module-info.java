/**
 * Kiln's extension points. A provider is a class with a stable {@code name()}, a config record that
 * Jackson reads from a recipe, and a factory; it is registered with {@code provides … with …} and
 * found with {@link java.util.ServiceLoader}. Third parties add providers without touching Kiln.
 */
module dev.kiln.spi {
  requires transitive dev.kiln.runtime;
  requires transitive com.fasterxml.jackson.databind;

  exports dev.kiln.spi;

  uses dev.kiln.spi.SamplerProvider;
  uses dev.kiln.spi.PhaseSpaceSamplerProvider;
  uses dev.kiln.spi.ArchitectureProvider;
  uses dev.kiln.spi.RendererProvider;
  uses dev.kiln.spi.TaskProvider;
  uses dev.kiln.spi.Experiment;
  uses dev.kiln.spi.ServingExporter;
}
