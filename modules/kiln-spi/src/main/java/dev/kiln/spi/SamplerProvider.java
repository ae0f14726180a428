package dev.kiln.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Provides a {@link Sampler} by name ({@code "ddim"}, {@code "dpmpp-2m"}, {@code "agm-gddim"}, …). */
public interface SamplerProvider<C> extends Provider<C, Sampler> {

  /**
   * The diffusers scheduler classes ({@code _class_name} of a {@code scheduler_config.json}) whose
   * config this sampler reads unchanged; none by default.
   */
  default Set<String> diffusersSchedulers() {
    return Set.of();
  }

  /**
   * Settings the conformance suite runs the whole sampler contract under besides the example config,
   * each a few config fields (by their JSON names, as a {@code scheduler_config.json} spells them) laid
   * over the example. List the choices a user can make that take another code path (timestep spacing,
   * η, solver order and type, final-step options, sigma spacings) so that a fault in any of them fails
   * the contract; none by default.
   */
  default List<Map<String, Object>> conformanceSettings() {
    return List.of();
  }
}
