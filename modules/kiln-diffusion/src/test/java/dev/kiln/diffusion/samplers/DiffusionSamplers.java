package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import java.util.List;

/** Every sampler of this package, in a configuration that suits data outside [−1, 1]. */
final class DiffusionSamplers {

  static final List<String> NAMES = List.of("ddpm", "ddim", "euler", "euler-ancestral", "dpmpp-2m", "dpmpp-2m-sde",
      "unipc");

  private DiffusionSamplers() {}

  /** The sampler with its defaults, except that DDPM and DDIM do not clip x̂₀. */
  static Sampler of(String name) {
    boolean clips = name.equals("ddpm") || name.equals("ddim");
    return Recipes.sampler(name, clips ? "{\"clip_sample\": false}" : "{}");
  }
}
