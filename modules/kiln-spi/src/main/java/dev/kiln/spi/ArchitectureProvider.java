package dev.kiln.spi;

/** Provides an {@link Architecture} by name ({@code "mlp-denoiser"}, {@code "unet"}, …). */
public interface ArchitectureProvider<C> extends Provider<C, Architecture> {}
