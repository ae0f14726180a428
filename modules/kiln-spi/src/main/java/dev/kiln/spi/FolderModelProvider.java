package dev.kiln.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.OrtBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens exported models that are a folder of files rather than one denoiser a sampler loop calls, for
 * example PLANNER's encoder, latent denoiser, cached decoder and tokenizer, so that {@code kiln serve}
 * answers their {@code generate} requests. The server asks every provider found with
 * {@link java.util.ServiceLoader} whether it {@link #recognises} a folder of its repository; the first
 * that does opens it.
 */
public interface FolderModelProvider extends Named {

  /** A stable name, used in messages and in the model metadata's {@code kind}. */
  String name();

  /** Whether {@code folder} holds a model of this provider; cheap (a marker file), never throws. */
  boolean recognises(Path folder);

  /**
   * Opens the model in {@code folder}. Every file is read as hostile: an error names the file and what
   * is wrong with it.
   */
  FolderModel open(Path folder, OrtBackend backend) throws IOException;

  /**
   * Writes a small model of this provider's kind into {@code dir} (created if missing; untrained weights
   * are fine), for the conformance suite.
   *
   * @return the folder to {@link #open}
   */
  Path writeExample(Path dir) throws IOException;

  /** Valid generate requests for the {@link #writeExample example}, together using the provider's fields. */
  List<JsonNode> exampleRequests();
}
