package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code "ddpm"}: {@link DdpmSampler}. */
public final class DdpmProvider implements SamplerProvider<DdpmConfig> {

  @Override
  public String name() {
    return "ddpm";
  }

  @Override
  public Class<DdpmConfig> configType() {
    return DdpmConfig.class;
  }

  @Override
  public Sampler create(DdpmConfig config) {
    return new DdpmSampler(config);
  }

  @Override
  public String description() {
    return "DDPM ancestral sampling (diffusers DDPMScheduler, fixed_small variance)";
  }

  @Override
  public Set<String> diffusersSchedulers() {
    return Set.of("DDPMScheduler");
  }

  @Override
  public List<Map<String, Object>> conformanceSettings() {
    return List.of(Map.of("variance_type", "fixed_large"), Map.of("variance_type", "fixed_small_log"),
        Map.of("timestep_spacing", "trailing"), Map.of("timestep_spacing", "linspace"),
        Map.of("clip_sample", true, "clip_sample_range", 3.0),
        Map.of("thresholding", true),
        Map.of("thresholding", true, "sample_max_value", 5.0, "dynamic_thresholding_ratio", 0.6));
  }
}
