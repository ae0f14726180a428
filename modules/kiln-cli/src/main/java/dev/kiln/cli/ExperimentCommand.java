package dev.kiln.cli;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Experiment;
import dev.kiln.spi.Providers;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln experiment NAME}. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = {"Run a reproduction study (tables, plots and raw numbers go to the output folder).",
        "`kiln experiment --list` shows the studies on the module path."})
public final class ExperimentCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", arity = "0..1", description = "the experiment")
  String name;

  @Option(names = "--list", description = "list the experiments")
  boolean list;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "results folder (default: runs/experiments/NAME)")
  Path output;

  @Option(names = "--seeds", paramLabel = "N", description = "seeds to repeat over (default: the experiment's own)")
  int seeds;

  @Option(names = "--quick", description = "a few steps only: check the experiment runs end to end")
  boolean quick;

  @Mixin
  RuntimeOptions runtime;

  static Map<String, Experiment> experiments() {
    return Providers.load(Experiment.class);
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Experiment> all = experiments();
    if (list || name == null) {
      all.values().forEach(e -> System.out.printf("%-32s %s%n", e.name(), e.description()));
      return 0;
    }
    Experiment e = Providers.named(all, name, "experiment");
    Path dir = output != null ? output : Path.of("runs", "experiments", name);
    java.nio.file.Files.createDirectories(dir);
    e.run(new Experiment.Context(dir, new OrtBackend(runtime.backend()), seeds, quick, System.err));
    System.out.println(name + ": results in " + dir);
    return 0;
  }
}
