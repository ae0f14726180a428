package dev.kiln.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln tck}: run the conformance suite against providers in a jar or module folder. The suite
 * is the {@code kiln-tck} tool of the conformance module, found at run time, so the command line does
 * not compile against the suite or the test libraries it is written with.
 */
@Command(name = "tck", mixinStandardHelpOptions = true,
    description = {"Run Kiln's conformance suite (TCK) against the providers in the given jars or module folders.",
        "The jars are loaded as a module layer; their sampler, architecture and renderer",
        "providers are found and put through every contract check. Writes a JUnit XML report and prints a",
        "verdict per provider.",
        "Exit code 0 when every provider conforms, 1 when a check fails."})
public final class TckCommand implements Callable<Integer> {

  /** The conformance module's tool. */
  static final String TOOL = "kiln-tck";

  @Option(names = {"-p", "--module-path"}, paramLabel = "PATH", split = ":", required = true,
      description = "jars or folders of modular jars holding the providers (and their own dependencies)")
  List<Path> modulePath;

  @Option(names = "--include-kiln", description = "also check Kiln's own providers")
  boolean includeKiln;

  @Option(names = {"-o", "--report"}, paramLabel = "DIR", description = "report folder (default: ${DEFAULT-VALUE})")
  Path report = Path.of("tck-report");

  @Override
  public Integer call() throws java.io.IOException {
    for (Path p : modulePath) {
      requireJarOrFolder(p);
    }
    ToolProvider tck = ToolProvider.findFirst(TOOL).orElseThrow(() -> new IllegalStateException(
        "the conformance suite (module dev.kiln.conformance, tool " + TOOL + ") is not on the module path"));
    List<String> args = new ArrayList<>(List.of("-p", modulePath.stream().map(Path::toString)
        .collect(Collectors.joining(":")), "-o", report.toString()));
    if (includeKiln) {
      args.add("--include-kiln");
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return tck.run(out, err, args.toArray(String[]::new));
  }

  /** A module path entry is a folder or a jar that opens as a zip file; anything else is named and refused. */
  static void requireJarOrFolder(Path p) throws java.io.IOException {
    if (!java.nio.file.Files.exists(p)) {
      throw new java.nio.file.NoSuchFileException(p.toString(), null, "does not exist (-p names jars or folders)");
    }
    if (java.nio.file.Files.isDirectory(p)) {
      return;
    }
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(p.toFile())) {
      if (zip.getEntry("module-info.class") == null && zip.getEntry("META-INF/MANIFEST.MF") == null) {
        throw new dev.kiln.spi.ConfigException("-p " + p + ": a jar without module-info.class or a manifest;"
            + " build the provider as a modular jar");
      }
    } catch (java.util.zip.ZipException e) {
      throw new dev.kiln.spi.ConfigException("-p " + p + " is not a jar (not a zip file: " + e.getMessage()
          + "); give the provider's jar or a folder of jars", e);
    }
  }
}
