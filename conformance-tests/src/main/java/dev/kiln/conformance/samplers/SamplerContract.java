package dev.kiln.conformance.samplers;

import dev.kiln.spi.SamplerProvider;
import org.junit.jupiter.api.Test;

/**
 * The sampler contract for one provider: implement {@link #provider()} in a test class and JUnit
 * checks the denoiser-call contract, seeded determinism, convergence to Gaussian data driven by the
 * exact model, and (for ODE samplers) the declared order of convergence: each check follows what the
 * sampler promises ({@link SamplerChecks}).
 */
public interface SamplerContract {

  SamplerProvider<?> provider();

  @Test
  default void callsTheDenoiserAsDeclared() {
    SamplerChecks.callsTheDenoiserAsDeclared(provider());
  }

  @Test
  default void seededRunsAreBitIdentical() {
    SamplerChecks.seededRunsAreBitIdentical(provider());
  }

  @Test
  default void reachesTheDataDistribution() {
    SamplerChecks.reachesTheDataDistribution(provider());
  }

  @Test
  default void convergesAtItsOrder() {
    SamplerChecks.convergesAtItsOrder(provider());
  }
}
