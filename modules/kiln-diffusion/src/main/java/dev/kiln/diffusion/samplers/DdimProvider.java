package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code "ddim"}: {@link DdimSampler}. */
public final class DdimProvider implements SamplerProvider<DdimConfig> {

  @Override
  public String name() {
    return "ddim";
  }

  @Override
  public Class<DdimConfig> configType() {
    return DdimConfig.class;
  }

  @Override
  public Sampler create(DdimConfig config) {
    return new DdimSampler(config);
  }

  @Override
  public String description() {
    return "DDIM with eta (diffusers DDIMScheduler)";
  }

  @Override
  public Set<String> diffusersSchedulers() {
    return Set.of("DDIMScheduler");
  }

  @Override
  public List<Map<String, Object>> conformanceSettings() {
    return List.of(Map.of("eta", 1.0), Map.of("timestep_spacing", "trailing"),
        Map.of("timestep_spacing", "linspace"),
        Map.of("steps_offset", 1), Map.of("clip_sample", true, "clip_sample_range", 3.0),
        Map.of("thresholding", true),
        Map.of("thresholding", true, "sample_max_value", 5.0, "dynamic_thresholding_ratio", 0.6));
  }
}
