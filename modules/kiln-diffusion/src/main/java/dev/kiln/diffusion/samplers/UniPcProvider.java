package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code "unipc"}: {@link UniPcSampler}. */
public final class UniPcProvider implements SamplerProvider<UniPcConfig> {

  @Override
  public String name() {
    return "unipc";
  }

  @Override
  public Class<UniPcConfig> configType() {
    return UniPcConfig.class;
  }

  @Override
  public Sampler create(UniPcConfig config) {
    return new UniPcSampler(config);
  }

  @Override
  public String description() {
    return "UniPC predictor-corrector, bh2 (diffusers UniPCMultistepScheduler)";
  }

  @Override
  public Set<String> diffusersSchedulers() {
    return Set.of("UniPCMultistepScheduler");
  }

  @Override
  public List<Map<String, Object>> conformanceSettings() {
    return List.of(Map.of("solver_order", 1), Map.of("solver_type", "bh1"), Map.of("lower_order_final", false),
        Map.of("use_karras_sigmas", true), Map.of("disable_corrector", List.of(0)),
        Map.of("timestep_spacing", "trailing"),
        Map.of("thresholding", true),
        Map.of("thresholding", true, "sample_max_value", 5.0, "dynamic_thresholding_ratio", 0.6));
  }
}
