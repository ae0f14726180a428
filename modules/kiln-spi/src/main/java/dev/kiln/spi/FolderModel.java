package dev.kiln.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * An opened {@link FolderModelProvider} model: what its generate requests take, and the generation
 * itself. {@link #generate} is called from several request threads at once and must give each the
 * answer it gets alone; it never changes what it is handed.
 */
public interface FolderModel extends AutoCloseable {

  /**
   * What the model is and what its requests take, for the model metadata endpoint: at least
   * {@code kind}, and the request fields with their ranges (for example {@code num_classes}).
   */
  ObjectNode parameters();

  /**
   * Answers one generate request. The server has checked the fields every generative model shares
   * ({@code count}, {@code steps}, {@code seed}: integers within its limits); the model reads them and
   * its own fields, and refuses a bad one with a {@link ConfigException} naming the field and the value.
   *
   * @return the named outputs, in order
   */
  List<Output> generate(JsonNode request);

  /**
   * Answers one generate request under {@code control}: a model whose sampler loops call a model once
   * per step runs those calls through {@link GenerationControl#steps}, so a server can merge them with
   * concurrent requests' and stop the loop when its client goes away. The default checks once that the
   * request is still wanted and runs {@link #generate(JsonNode)}.
   */
  default List<Output> generate(JsonNode request, GenerationControl control) {
    control.check();
    return generate(request);
  }

  /** Releases the model's sessions. */
  @Override
  void close();

  /**
   * One named output of a generation: a tensor, or strings (a {@code BYTES} tensor of the protocol).
   *
   * @param name the output's name
   * @param tensor the values, or null for strings
   * @param strings the strings, or null for a tensor
   */
  record Output(String name, Tensor tensor, List<String> strings) {

    public Output {
      Objects.requireNonNull(name, "name");
      if ((tensor == null) == (strings == null)) {
        throw new IllegalArgumentException("output " + name + ": give a tensor or strings");
      }
      strings = strings == null ? null : List.copyOf(strings);
    }

    /** A tensor output. */
    public static Output of(String name, Tensor tensor) {
      return new Output(name, Objects.requireNonNull(tensor, "tensor"), null);
    }

    /** A string output. */
    public static Output ofStrings(String name, List<String> strings) {
      return new Output(name, null, Objects.requireNonNull(strings, "strings"));
    }
  }
}
