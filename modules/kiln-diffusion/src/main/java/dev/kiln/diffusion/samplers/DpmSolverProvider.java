package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "dpmpp-2m"}: {@link DpmSolverSampler}. */
public final class DpmSolverProvider implements SamplerProvider<DpmSolverConfig> {

  @Override
  public String name() {
    return "dpmpp-2m";
  }

  @Override
  public Class<DpmSolverConfig> configType() {
    return DpmSolverConfig.class;
  }

  @Override
  public Sampler create(DpmSolverConfig config) {
    return new DpmSolverSampler(config);
  }

  @Override
  public String description() {
    return "DPM-Solver++(2M) multistep (diffusers DPMSolverMultistepScheduler, dpmsolver++)";
  }

  @Override
  public java.util.Set<String> diffusersSchedulers() {
    return java.util.Set.of("DPMSolverMultistepScheduler");
  }
}
