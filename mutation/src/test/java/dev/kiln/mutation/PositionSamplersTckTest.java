package dev.kiln.mutation;

import dev.kiln.conformance.samplers.SamplerChecks;
import dev.kiln.diffusion.samplers.DdimProvider;
import dev.kiln.diffusion.samplers.DdpmProvider;
import dev.kiln.diffusion.samplers.DpmSolverProvider;
import dev.kiln.diffusion.samplers.DpmSolverSdeProvider;
import dev.kiln.diffusion.samplers.EulerProvider;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The sampler TCK against five of Kiln's position samplers (DDIM, DDPM, Euler, DPM-Solver++ and its SDE
 * variant), one test per sampler, so PIT runs only the
 * sampler a mutant lives in. {@code -Dkiln.tck.checks=original} runs only the TCK's first four checks on the
 * example config, {@code -Dkiln.tck.checks=example} all nine on the example config, and the default all
 * nine on the example and every conformance setting (the rows of the mutation score in docs/reliability.md).
 */
class PositionSamplersTckTest {

  /** The checks the TCK had before the thread, input, step-count and end-point checks. */
  private static final List<String> ORIGINAL = List.of("calls the denoiser as declared",
      "seeded runs are bit-identical", "reaches the data distribution", "converges at its order");

  @Test
  void ddim() {
    conforms(new DdimProvider());
  }

  @Test
  void ddpm() {
    conforms(new DdpmProvider());
  }

  @Test
  void euler() {
    conforms(new EulerProvider());
  }

  @Test
  void dpmSolver() {
    conforms(new DpmSolverProvider());
  }

  @Test
  void dpmSolverSde() {
    conforms(new DpmSolverSdeProvider());
  }

  private static void conforms(SamplerProvider<?> provider) {
    String mode = System.getProperty("kiln.tck.checks", "all");
    for (SamplerProvider<?> setting : settings(provider, !mode.equals("all"))) {
      for (Map.Entry<String, Runnable> check : SamplerChecks.all(setting).entrySet()) {
        if (mode.equals("original") && !ORIGINAL.contains(check.getKey())) {
          continue;
        }
        try {
          check.getValue().run();
        } catch (TestAbortedException skipped) {
          // a check that does not apply to this sampler (no pathwise order for a stochastic one)
        }
      }
    }
  }

  /** The example config alone ({@code exampleOnly}), or with every conformance setting of the provider. */
  private static List<? extends SamplerProvider<?>> settings(SamplerProvider<?> provider, boolean exampleOnly) {
    return exampleOnly ? List.of(provider) : List.copyOf(SamplerChecks.settings(provider).values());
  }
}
