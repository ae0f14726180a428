package dev.kiln.conformance.phasespace;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/** Every phase-space sampler provider on the module path (Kiln's own here) against the contract. */
class KilnPhaseSpaceSamplersTest {

  @TestFactory
  Stream<DynamicContainer> everyPhaseSpaceSamplerConforms() {
    return PhaseSpaceSamplerSuite.forAllProviders();
  }
}
