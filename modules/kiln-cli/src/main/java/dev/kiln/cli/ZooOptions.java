package dev.kiln.cli;

import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Where the zoo is: {@code --zoo DIR}, else {@code model-zoo} here, else the one of the checkout Kiln was built in. */
final class ZooOptions {

  @Option(names = "--zoo", paramLabel = "DIR",
      description = "the model zoo (default: model-zoo here, or the one of the checkout this command was built in)")
  Path zoo;

  Path root() {
    Path root = zoo != null ? zoo : defaultRoot();
    if (!Files.isDirectory(root)) {
      throw new ConfigException("--zoo " + root + ": not a folder");
    }
    try {
      ZooSwap.recover(root); // finishes a publish's swap that a kill interrupted
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(root + ": finishing an interrupted `kiln zoo publish`", e);
    }
    return root;
  }

  /** Every model folder of the zoo, sorted by name. */
  List<Path> folders() throws IOException {
    try (Stream<Path> s = Files.list(root())) {
      return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  /** The folder of the model called {@code name}; an unknown name is an error listing the names there are. */
  Path folder(String name) throws IOException {
    List<Path> all = folders();
    for (Path p : all) {
      if (p.getFileName().toString().equals(name)) {
        return p;
      }
    }
    throw new ConfigException("no model `" + name + "` in the zoo " + root() + "; models: "
        + String.join(", ", all.stream().map(p -> p.getFileName().toString()).toList()));
  }

  /** {@code model-zoo} here, or the one of the checkout this command was built in. */
  static Path defaultRoot() {
    Path here = Path.of("model-zoo");
    if (Files.isDirectory(here)) {
      return here;
    }
    Path root;
    try {
      root = Path.of(ZooOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the location of kiln-cli is not a path", e);
    }
    for (int i = 0; i < 4 && root != null; i++) {
      root = root.getParent(); // modules/kiln-cli/target/kiln-cli.jar -> the checkout
    }
    Path checkout = root == null ? here : root.resolve("model-zoo");
    if (!Files.isDirectory(checkout)) {
      throw new ConfigException("no model zoo here or at " + checkout + "; name a folder of models");
    }
    return checkout;
  }
}
