package dev.kiln.spi;

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
}
