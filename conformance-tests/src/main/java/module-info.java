/**
 * Kiln's conformance suite (TCK): contract suites any provider can be run against.
 * {@link dev.kiln.conformance.gradients.GradientRuleContract} checks every gradient rule against
 * central finite differences; the sampler, architecture, renderer and folder-model contracts check
 * providers. It
 * needs only the SPI, the runtime, inference (export parity) and autodiff (gradient rules): a third
 * party's provider runs it without Kiln's training stack or any method module.
 */
module dev.kiln.conformance {
  requires transitive dev.kiln.autodiff;
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.inference;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;

  exports dev.kiln.conformance.gradients;
  // The contracts are JUnit test code: JUnit instantiates and invokes them reflectively.
  opens dev.kiln.conformance.gradients to org.junit.platform.commons;
  exports dev.kiln.conformance.architectures;
  opens dev.kiln.conformance.architectures to org.junit.platform.commons;

  exports dev.kiln.conformance.samplers;
  opens dev.kiln.conformance.samplers to org.junit.platform.commons;

  exports dev.kiln.conformance.renderers;
  opens dev.kiln.conformance.renderers to org.junit.platform.commons;

  exports dev.kiln.conformance.folders;
  opens dev.kiln.conformance.folders to org.junit.platform.commons;

  exports dev.kiln.conformance.tck;
  provides java.util.spi.ToolProvider with dev.kiln.conformance.tck.TckTool;

  uses dev.kiln.spi.ArchitectureProvider;
  uses dev.kiln.spi.SamplerProvider;
  uses dev.kiln.spi.RendererProvider;
  uses dev.kiln.spi.FolderModelProvider;
}
