/**
 * Kiln's conformance suite (TCK). {@link dev.kiln.conformance.gradients.GradientRuleContract} checks
 * every gradient rule against central finite differences.
 */
module dev.kiln.conformance {
  requires transitive dev.kiln.autodiff;
  requires transitive dev.kiln.runtime;
  requires transitive dev.kiln.nn;
  requires transitive dev.kiln.train;
  requires transitive dev.kiln.diffusion;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;

  exports dev.kiln.conformance.gradients;
  // The contracts are JUnit test code: JUnit instantiates and invokes them reflectively.
  opens dev.kiln.conformance.gradients to org.junit.platform.commons;
  exports dev.kiln.conformance.architectures;
  opens dev.kiln.conformance.architectures to org.junit.platform.commons;

  exports dev.kiln.conformance.samplers;
  opens dev.kiln.conformance.samplers to org.junit.platform.commons;

  exports dev.kiln.conformance.phasespace;
  opens dev.kiln.conformance.phasespace to org.junit.platform.commons;

  exports dev.kiln.conformance.renderers;
  opens dev.kiln.conformance.renderers to org.junit.platform.commons;

  uses dev.kiln.spi.ArchitectureProvider;
  uses dev.kiln.spi.SamplerProvider;
  uses dev.kiln.spi.RendererProvider;
  uses dev.kiln.spi.PhaseSpaceSamplerProvider;
}
