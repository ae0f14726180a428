package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code "euler-ancestral"}: {@link EulerAncestralSampler}. */
public final class EulerAncestralProvider implements SamplerProvider<EulerAncestralConfig> {

  @Override
  public String name() {
    return "euler-ancestral";
  }

  @Override
  public Class<EulerAncestralConfig> configType() {
    return EulerAncestralConfig.class;
  }

  @Override
  public Sampler create(EulerAncestralConfig config) {
    return new EulerAncestralSampler(config);
  }

  @Override
  public String description() {
    return "Euler ancestral, 'Euler a' (diffusers EulerAncestralDiscreteScheduler)";
  }

  @Override
  public Set<String> diffusersSchedulers() {
    return Set.of("EulerAncestralDiscreteScheduler");
  }

  @Override
  public List<Map<String, Object>> conformanceSettings() {
    return List.of(Map.of("timestep_spacing", "leading"), Map.of("timestep_spacing", "trailing"));
  }
}
