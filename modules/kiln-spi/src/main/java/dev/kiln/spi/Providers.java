package dev.kiln.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The one discovery point: every service Kiln finds with {@link ServiceLoader} (providers, experiments,
 * serving exporters) is found here, keyed by name, with one name per service of a type.
 */
public final class Providers {

  private Providers() {}

  /**
   * Every provider of {@code type} on the module path (or class path), by name. Two providers with
   * one name are an error naming both classes.
   */
  public static <P extends Named> Map<String, P> load(Class<? super P> type) {
    @SuppressWarnings("unchecked")
    ServiceLoader<P> loader = (ServiceLoader<P>) ServiceLoader.load(type);
    return load(type, loader);
  }

  /** As {@link #load(Class)}, with a given loader (for a layer or class loader of plug-ins). */
  public static <P extends Named> Map<String, P> load(Class<?> type, ServiceLoader<P> loader) {
    Map<String, P> byName = new TreeMap<>();
    for (P p : loader) {
      P previous = byName.put(p.name(), p);
      if (previous != null) {
        throw new ConfigException("two " + type.getSimpleName() + "s are named `" + p.name() + "`: "
            + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return byName;
  }

  /**
   * Every service of {@code type} that {@code layer} defines, by name, and those of its parent layers
   * when {@code parentsToo}: the providers of a third party's jars loaded as a module layer.
   */
  public static <P extends Named> Map<String, P> inLayer(ModuleLayer layer, Class<P> type, boolean parentsToo) {
    Map<String, P> byName = new TreeMap<>();
    load(type, ServiceLoader.load(layer, type)).forEach((name, p) -> {
      if (parentsToo || p.getClass().getModule().getLayer() == layer) {
        byName.put(name, p);
      }
    });
    return byName;
  }

  /** The provider named {@code name}, or an error listing the names there are. */
  public static <P extends Named> P named(Map<String, P> providers, String name, String where) {
    P p = providers.get(name);
    if (p == null) {
      throw new ConfigException(where + ": unknown type `" + name + "`; available: "
          + String.join(", ", providers.keySet()));
    }
    return p;
  }

  /**
   * Creates a component from a provider and its recipe section; the section's {@code type} field (the
   * provider's name) is not part of the config.
   */
  public static <C, T> T create(Provider<C, T> provider, com.fasterxml.jackson.databind.JsonNode config,
      String where) {
    com.fasterxml.jackson.databind.JsonNode section = config;
    if (config != null && config.isObject() && config.has("type")) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = config.deepCopy();
      copy.remove("type");
      section = copy;
    }
    return provider.create(Configs.read(section, provider.configType(), where));
  }
}
