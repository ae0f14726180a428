package dev.kiln.spi;

/** Provides a {@link Task} by name ({@code "diffusion"}, {@code "classification"}, …). */
public interface TaskProvider<C> extends Provider<C, Task> {}
