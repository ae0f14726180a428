package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "dpmpp-2m-sde"}: {@link DpmSolverSdeSampler}. */
public final class DpmSolverSdeProvider implements SamplerProvider<DpmSolverConfig> {

  @Override
  public String name() {
    return "dpmpp-2m-sde";
  }

  @Override
  public Class<DpmSolverConfig> configType() {
    return DpmSolverConfig.class;
  }

  @Override
  public Sampler create(DpmSolverConfig config) {
    return new DpmSolverSdeSampler(config);
  }

  @Override
  public String description() {
    return "SDE-DPM-Solver++(2M) (diffusers DPMSolverMultistepScheduler, sde-dpmsolver++)";
  }
}
