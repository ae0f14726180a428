package dev.kiln.spi;

/**
 * What every provider has: a stable name that recipes use, the record type its configuration is
 * read into, and a factory.
 *
 * @param <C> the config record
 * @param <T> what the provider makes
 */
public interface Provider<C, T> extends Named {

  /** The config record Jackson reads from the recipe (unknown fields are an error). */
  Class<C> configType();

  /** Makes the component from a config. */
  T create(C config);

  /**
   * A small configuration the conformance suite uses (the defaults unless a provider overrides it to
   * keep finite-difference checks fast).
   */
  default C exampleConfig() {
    return Configs.read(null, configType(), name() + ": default config");
  }

  /** One line for listings ({@code kiln providers}). */
  default String description() {
    return name();
  }
}
