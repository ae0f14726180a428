package com.example.heun;

import dev.kiln.conformance.samplers.SamplerContract;
import dev.kiln.spi.SamplerProvider;

/** Kiln's sampler contract, run against this provider. */
class HeunConformanceTest implements SamplerContract {

  @Override
  public SamplerProvider<?> provider() {
    return new HeunProvider();
  }
}
