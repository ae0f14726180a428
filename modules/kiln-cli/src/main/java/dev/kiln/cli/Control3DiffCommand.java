package dev.kiln.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code kiln control3diff}: sample 3D results for a control picture with a trained Control3Diff
 * model and render each from 8 azimuths. The work is the {@code kiln-control3diff} tool of the NeRF
 * module, found at run time like the studies.
 */
@Command(name = "control3diff", mixinStandardHelpOptions = true,
    description = {"Sample 3D results for a control (picture, edge map or segmentation) with a Control3Diff model, "
        + "and render each from 8 azimuths at 30° elevation.",
        "`kiln experiment control3diff` trains a model and writes it to its output folder under model/;",
        "`kiln control3diff train --config FILE --output DIR` trains one from a recipe, `export` writes its ONNX",
        "files and `evaluate --onnx DIR` measures them."},
    subcommands = {Control3DiffCommand.Train.class, Control3DiffCommand.Export.class,
        Control3DiffCommand.Evaluate.class})
public final class Control3DiffCommand implements Callable<Integer> {

  static final String TOOL = "kiln-control3diff";

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", description = "model folder (required)")
  Path model;

  @Option(names = "--control", paramLabel = "KIND", description = "image, edges or segmentation (required)")
  String control;

  @Option(names = "--input", paramLabel = "PNG",
      description = "the control's source picture, its size the model's render size (required)")
  Path input;

  @Option(names = "--as-control", description = "the PNG is the control map itself (edges dark on white; "
      + "segmentation as grey levels 0, 1/3, 2/3, 1)")
  boolean asControl;

  @Option(names = "--route", defaultValue = "conditioning",
      description = "conditioning, guidance or guidance-langevin (default: ${DEFAULT-VALUE})")
  String route;

  @Option(names = "--samples", defaultValue = "4", description = "results to sample (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(names = "--azimuth", defaultValue = "30", description = "input camera azimuth in degrees")
  double azimuth;

  @Option(names = "--elevation", defaultValue = "15", description = "input camera elevation in degrees")
  double elevation;

  @Option(names = "--seed", defaultValue = "1", description = "sampling seed, from 1 (default: ${DEFAULT-VALUE})")
  int seed;

  @Option(names = "--steps", description = "DDIM steps (default 25)")
  Integer steps;

  @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime intra-op threads")
  int threads;

  @Option(names = {"-o", "--output"}, defaultValue = "control3diff-out", paramLabel = "DIR",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path output;

  @Override
  public Integer call() {
    for (Object[] o : new Object[][] {{model, "--model=DIR"}, {control, "--control=KIND"}, {input, "--input=PNG"}}) {
      if (o[0] == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '" + o[1] + "'");
      }
    }
    List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--control", control, "--input",
        input.toString(), "--route", route, "--samples", Integer.toString(samples), "--azimuth",
        Double.toString(azimuth), "--elevation", Double.toString(elevation), "--seed", Integer.toString(seed),
        "--threads", Integer.toString(threads), "-o", output.toString()));
    if (asControl) {
      args.add("--as-control");
    }
    if (steps != null) {
      args.addAll(List.of("--steps", steps.toString()));
    }
    return runTool(args);
  }

  private static int runTool(List<String> args) {
    return MethodTools.run(TOOL, "Control3Diff (module dev.kiln.nerf)", args);
  }

  /** A subcommand handed to the tool with its options as they are. */
  abstract static class PassThrough implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      // the tool's subcommand is the one picocli ran: the class's own @Command name
      List<String> all = new ArrayList<>(List.of(getClass().getAnnotation(Command.class).name()));
      all.addAll(args);
      return runTool(all);
    }
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Train a model from a recipe: --config FILE --output DIR [--seed N] [--threads N].")
  static final class Train extends PassThrough {}

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Export a trained model as plain ONNX (generator.onnx, prior-*.onnx): --model DIR --output DIR.")
  static final class Export extends PassThrough {}

  @Command(name = "evaluate", mixinStandardHelpOptions = true,
      description = {"Measure exported files on held-out scenes (image control, conditioning, 4 results each):",
          "--onnx DIR [--count N] [--seed S] [--threads N] [--metrics FILE.json]."})
  static final class Evaluate extends PassThrough {}
}
