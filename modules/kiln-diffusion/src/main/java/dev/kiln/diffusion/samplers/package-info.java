/**
 * Reverse-diffusion samplers, found by {@link java.util.ServiceLoader} as
 * {@link dev.kiln.spi.SamplerProvider}s: {@code ddpm}, {@code ddim}, {@code euler},
 * {@code euler-ancestral}, {@code dpmpp-2m}, {@code dpmpp-2m-sde} and {@code unipc}. Each reads the config of the
 * diffusers scheduler it matches, field for field, so a {@code scheduler_config.json} loads unchanged,
 * and each exposes diffusers' {@code timesteps} (and {@code sigmas}) for inspection. Samplers keep all
 * state in double and hold none between runs; all noise comes from the generator passed to
 * {@code sample}.
 */
package dev.kiln.diffusion.samplers;
