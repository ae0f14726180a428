package dev.kiln.cli;

import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/** The options of the zoo commands that run models: where the zoo is, and ONNX Runtime's device and threads. */
final class ZooRunOptions {

  @Mixin
  ZooOptions zoo;

  @Mixin
  RuntimeOptions runtime;

  /** ONNX Runtime's options, on one thread unless {@code --threads} says otherwise, so numbers repeat exactly. */
  RuntimeOptions runtime() {
    return runtime.threadsUnlessGiven(1);
  }

  /** The folder of {@code name}, which must ship a model (have a card) for {@code verb} ("verify") to act on. */
  Path shipped(String name, String verb) throws IOException {
    Path folder = zoo.folder(name);
    if (!Files.exists(folder.resolve(ZooCard.FILE))) {
      throw new ConfigException(folder + " ships no model (it has no " + ZooCard.FILE + "): nothing to " + verb);
    }
    return folder;
  }
}
