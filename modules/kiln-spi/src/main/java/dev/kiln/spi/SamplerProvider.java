package dev.kiln.spi;

/** Provides a {@link Sampler} by name ({@code "ddim"}, {@code "dpmpp-2m"}, …). */
public interface SamplerProvider<C> extends Provider<C, Sampler> {}
