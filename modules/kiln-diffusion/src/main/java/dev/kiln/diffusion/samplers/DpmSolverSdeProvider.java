package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;

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

  @Override
  public List<Map<String, Object>> conformanceSettings() {
    return List.of(Map.of("solver_order", 1), Map.of("solver_type", "heun"), Map.of("use_karras_sigmas", true),
        Map.of("timestep_spacing", "trailing"),
        Map.of("thresholding", true),
        Map.of("thresholding", true, "sample_max_value", 5.0, "dynamic_thresholding_ratio", 0.6));
  }
}
