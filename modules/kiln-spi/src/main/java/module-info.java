/**
 * Kiln's extension points. A provider is a class with a stable {@code name()}, a config record that
 * Jackson reads from a recipe, and a factory; it is registered with {@code provides … with …} and
 * found with {@link java.util.ServiceLoader} through {@link dev.kiln.spi.Providers}, the one discovery
 * point. Third parties add providers without touching Kiln. {@code dev.kiln.spi.process} holds the
 * processes samplers integrate (the noise schedule, AGM's phase-space process) and the exact models
 * of Gaussian-mixture data under them.
 */
module dev.kiln.spi {
  requires transitive dev.kiln.runtime;
  requires transitive com.fasterxml.jackson.databind;

  exports dev.kiln.spi;
  exports dev.kiln.spi.process;
  opens dev.kiln.spi.process to com.fasterxml.jackson.databind;

  uses dev.kiln.spi.SamplerProvider;
  uses dev.kiln.spi.ArchitectureProvider;
  uses dev.kiln.spi.RendererProvider;
  uses dev.kiln.spi.TaskProvider;
  uses dev.kiln.spi.Experiment;
  uses dev.kiln.spi.ServingExporter;
  uses dev.kiln.spi.FolderModelProvider;
}
