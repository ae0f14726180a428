package com.example.heun.broken;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.conformance.samplers.SamplerChecks;
import org.junit.jupiter.api.Test;

/** The conformance suite rejects each deliberate mistake, with a message that names it. */
class BrokenHeunIsRejectedTest {

  private final BrokenHeunProvider provider = new BrokenHeunProvider();

  @Test
  void wrongEvaluationCountIsReported() {
    assertThatThrownBy(() -> SamplerChecks.callsTheDenoiserAsDeclared(provider))
        .hasMessageContaining("denoiser calls for 4 steps (evaluations() says 4)").hasMessageContaining("7");
  }

  @Test
  void unseededNoiseIsReported() {
    assertThatThrownBy(() -> SamplerChecks.seededRunsAreBitIdentical(provider))
        .hasMessageContaining("two runs with seed 5 are bit-identical");
  }

  @Test
  void droppedFactorShowsUpAsWrongSamplesAndOrder() {
    assertThatThrownBy(() -> SamplerChecks.reachesTheDataDistribution(provider))
        .hasMessageContaining("heun-broken: sample");
    assertThatThrownBy(() -> SamplerChecks.convergesAtItsOrder(provider))
        .hasMessageContaining("heun-broken (order 2)");
  }
}
