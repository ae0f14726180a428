package dev.kiln.conformance.architectures;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/** Every architecture provider on the module path (Kiln's own here) against the architecture contract. */
class KilnArchitecturesTest {

  @TestFactory
  Stream<DynamicContainer> everyArchitectureConforms() {
    return ArchitectureSuite.forAllProviders();
  }
}
