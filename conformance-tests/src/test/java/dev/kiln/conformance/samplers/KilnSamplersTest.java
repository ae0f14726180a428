package dev.kiln.conformance.samplers;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/** Every sampler provider on the module path (Kiln's own here) against the sampler contract. */
class KilnSamplersTest {

  @TestFactory
  Stream<DynamicContainer> everySamplerConforms() {
    return SamplerSuite.forAllProviders();
  }
}
