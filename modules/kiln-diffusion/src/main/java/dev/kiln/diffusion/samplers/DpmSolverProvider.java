package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  public Set<String> diffusersSchedulers() {
    return Set.of("DPMSolverMultistepScheduler");
  }

  /**
   * Not the leading spacing: there the first timestep moves with the step count (950 at 25 steps, 500 at
   * 500), so solutions at different step counts start from different times and no order can be measured.
   */
  @Override
  public List<Map<String, Object>> conformanceSettings() {
    return List.of(Map.of("solver_order", 1), Map.of("solver_type", "heun"), Map.of("lower_order_final", false),
        Map.of("euler_at_final", true), Map.of("use_karras_sigmas", true), Map.of("timestep_spacing", "trailing"),
        Map.of("thresholding", true),
        Map.of("thresholding", true, "sample_max_value", 5.0, "dynamic_thresholding_ratio", 0.6));
  }
}
