package dev.kiln.conformance.samplers;

import dev.kiln.spi.SamplerProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The sampler contract for one provider: implement {@link #provider()} in a test class and JUnit
 * checks the denoiser-call contract, seeded determinism, convergence to Gaussian data driven by the
 * exact model, (for ODE samplers) the declared order of convergence, and what a server needs: the same
 * results from several threads, inputs left unchanged, finite output for every step count, and no noise
 * left where the exact model fixes the answer, and (where a config turns it on) dynamic thresholding that
 * changes nothing inside its range and clips outside it. Each check follows what the sampler promises
 * ({@link SamplerChecks}). The checks run on the provider's example config, and again under each of its
 * {@link SamplerProvider#conformanceSettings() conformance settings}.
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

  @Test
  default void sameResultsFromSeveralThreads() {
    SamplerChecks.sameResultsFromSeveralThreads(provider());
  }

  @Test
  default void leavesWhatItIsHandedUnchanged() {
    SamplerChecks.leavesWhatItIsHandedUnchanged(provider());
  }

  @Test
  default void finiteOutputForEveryStepCount() {
    SamplerChecks.finiteOutputForEveryStepCount(provider());
  }

  @Test
  default void endsAtTheDataWithNoNoiseLeft() {
    SamplerChecks.endsAtTheDataWithNoNoiseLeft(provider());
  }

  @Test
  default void thresholdsOnlyOutsideItsRange() {
    SamplerChecks.thresholdsOnlyOutsideItsRange(provider());
  }

  /** Every check again under each conformance setting the provider lists, one container per setting. */
  @TestFactory
  default Stream<DynamicContainer> underEveryConformanceSetting() {
    return SamplerSuite.settings(provider(), 1);
  }
}
