package dev.kiln.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.spi.ToolProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln control3diff}: sample 3D results for a control picture with a trained Control3Diff
 * model and render each from 8 azimuths. The work is the {@code kiln-control3diff} tool of the NeRF
 * module, found at run time like the studies.
 */
@Command(name = "control3diff", mixinStandardHelpOptions = true,
    description = {"Sample 3D results for a control (picture, edge map or segmentation) with a Control3Diff model, "
        + "and render each from 8 azimuths at 30° elevation.",
        "`kiln experiment control3diff` trains a model and writes it to its output folder under model/."})
public final class Control3DiffCommand implements Callable<Integer> {

  static final String TOOL = "kiln-control3diff";

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "model folder")
  Path model;

  @Option(names = "--control", required = true, paramLabel = "KIND", description = "image, edges or segmentation")
  String control;

  @Option(names = "--input", required = true, paramLabel = "PNG",
      description = "the control's source picture (its size must be the model's render size)")
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
    ToolProvider tool = ToolProvider.findFirst(TOOL).orElseThrow(() -> new IllegalStateException(
        "Control3Diff (module dev.kiln.nerf, tool " + TOOL + ") is not on the module path"));
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
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return tool.run(out, err, args.toArray(String[]::new));
  }
}
