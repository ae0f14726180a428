package dev.kiln.cli;

import dev.kiln.cli.bench.BenchCommand;
import dev.kiln.graph.Kiln;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code kiln}: train, export, sample and evaluate Kiln models. */
@Command(name = "kiln", mixinStandardHelpOptions = true, versionProvider = KilnCommand.Version.class,
    description = {"Train generative models written as ONNX graphs, export them, and sample them with ONNX Runtime."},
    subcommands = {QuickstartCommand.class, TrainCommand.class, ExportCommand.class, SampleCommand.class,
        EvalCommand.class, GenerateCommand.class, ExperimentCommand.class, TckCommand.class, BenchCommand.class,
        ServeCommand.class, ZooCommand.class, NerfDiffCommand.class, Control3DiffCommand.class, PlannerCommand.class,
        SsdNerfCommand.class, CommandLine.HelpCommand.class})
public final class KilnCommand {

  /** Prints the Kiln version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kiln " + Kiln.version()};
    }
  }

  /** Exit code for a user mistake (bad recipe, missing or corrupt file, bad value, unwritable output). */
  public static final int USAGE_ERROR = ErrorBoundary.USAGE_ERROR;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "print the stack trace of a failure (also: environment variable KILN_DEBUG=1)")
  boolean debug;

  private KilnCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; returns the exit code. Every failure passes through {@link ErrorBoundary}. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new KilnCommand());
    // --debug may stand before or after the subcommand; the arguments say which was asked for.
    boolean debug = java.util.Arrays.asList(args).contains("--debug") || "1".equals(System.getenv("KILN_DEBUG"));
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> ErrorBoundary.report(e, "kiln " + cmd.getCommandName(),
        cmd.getErr(), debug));
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      return ErrorBoundary.report(e, "kiln", cl.getErr(), debug);
    }
  }
}
