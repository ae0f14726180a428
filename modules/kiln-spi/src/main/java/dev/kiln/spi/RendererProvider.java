package dev.kiln.spi;

/** Provides a {@link Renderer} by name ({@code "volume"}, …). */
public interface RendererProvider<C> extends Provider<C, Renderer> {}
