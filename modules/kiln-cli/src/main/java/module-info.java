/** The {@code kiln} command. */
module dev.kiln.cli {
  requires dev.kiln.train;
  requires dev.kiln.inference;
  requires dev.kiln.diffusion;
  requires dev.kiln.vision;
  requires dev.kiln.viz;
  requires dev.kiln.serve;
  requires info.picocli;

  uses dev.kiln.spi.Experiment;
  uses java.util.spi.ToolProvider;
  uses dev.kiln.spi.SamplerProvider;
  uses dev.kiln.spi.ArchitectureProvider;
  uses dev.kiln.spi.RendererProvider;

  opens dev.kiln.cli to info.picocli, com.fasterxml.jackson.databind;
  opens dev.kiln.cli.bench to info.picocli;
}
