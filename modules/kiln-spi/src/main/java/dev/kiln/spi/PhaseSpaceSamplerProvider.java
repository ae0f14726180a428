package dev.kiln.spi;

/** Provides a {@link PhaseSpaceSampler} by name ({@code "agm-gddim"}, …). */
public interface PhaseSpaceSamplerProvider<C> extends Provider<C, PhaseSpaceSampler> {}
