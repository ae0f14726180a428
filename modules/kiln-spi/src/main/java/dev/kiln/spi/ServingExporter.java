package dev.kiln.spi;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes extra serving files for architectures that a single forward graph serves wastefully, for
 * example adaptive-depth models whose cheapest path stops each example once it halts. {@code kiln
 * export} writes the plain forward model first, then asks every exporter found with
 * {@link java.util.ServiceLoader} whether it {@link #accepts} the run's architecture.
 */
public interface ServingExporter extends Named {

  /** A stable name, used in messages. */
  String name();

  /** Whether this exporter has serving files for {@code architecture}. */
  boolean accepts(Architecture architecture);

  /**
   * Writes the serving files of {@code architecture} with the trained {@code weights} into
   * {@code dir} (created if missing), each through a temporary file.
   *
   * @param metadata {@code metadata_props} for every model written (recipe, seed, step, …)
   * @return one line that says what was written and how to serve it
   */
  String write(Path dir, Architecture architecture, Weights weights, OrtBackend backend, Map<String, String> metadata)
      throws IOException;
}
