package dev.kiln.cli;

import dev.kiln.cli.bench.BenchCommand;
import dev.kiln.graph.Kiln;
import dev.kiln.spi.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kiln}: train, export, sample and evaluate Kiln models. */
@Command(name = "kiln", mixinStandardHelpOptions = true, versionProvider = KilnCommand.Version.class,
    description = {"Train generative models written as ONNX graphs, export them, and sample them with ONNX Runtime."},
    subcommands = {QuickstartCommand.class, TrainCommand.class, ExportCommand.class, SampleCommand.class,
        EvalCommand.class, ExperimentCommand.class, TckCommand.class, BenchCommand.class, ServeCommand.class,
        CommandLine.HelpCommand.class})
public final class KilnCommand {

  /** Prints the Kiln version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kiln " + Kiln.version()};
    }
  }

  /** Exit code for a user mistake (bad recipe, missing file). */
  public static final int USAGE_ERROR = 2;

  private KilnCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new KilnCommand());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException || e instanceof java.nio.file.NoSuchFileException
          || e instanceof IllegalArgumentException) {
        cmd.getErr().println("kiln " + cmd.getCommandName() + ": " + message(e));
        return USAGE_ERROR;
      }
      throw e;
    });
    return cl.execute(args);
  }

  private static String message(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException nsf) {
      return nsf.getFile() + (nsf.getReason() == null ? " does not exist" : ": " + nsf.getReason());
    }
    return e.getMessage();
  }
}
