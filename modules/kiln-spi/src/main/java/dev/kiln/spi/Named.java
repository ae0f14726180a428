package dev.kiln.spi;

/**
 * What every service found with {@link java.util.ServiceLoader} has: a stable name, unique among the
 * services of its type ({@link Providers#load} refuses two of one name).
 */
public interface Named {

  /** The name recipes and the command line use ({@code "ddim"}); lower case, stable across versions. */
  String name();
}
