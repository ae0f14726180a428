package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code "euler"}: {@link EulerSampler}. */
public final class EulerProvider implements SamplerProvider<EulerConfig> {

  @Override
  public String name() {
    return "euler";
  }

  @Override
  public Class<EulerConfig> configType() {
    return EulerConfig.class;
  }

  @Override
  public Sampler create(EulerConfig config) {
    return new EulerSampler(config);
  }

  @Override
  public String description() {
    return "Euler on the probability-flow ODE, optional Karras sigmas and churn (diffusers EulerDiscreteScheduler)";
  }

  @Override
  public Set<String> diffusersSchedulers() {
    return Set.of("EulerDiscreteScheduler");
  }

  @Override
  public List<Map<String, Object>> conformanceSettings() {
    return List.of(Map.of("use_karras_sigmas", true), Map.of("timestep_spacing", "leading"),
        Map.of("timestep_spacing", "trailing"), Map.of("s_churn", 1.0));
  }
}
