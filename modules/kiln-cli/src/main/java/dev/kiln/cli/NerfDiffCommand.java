package dev.kiln.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code kiln nerfdiff}: train NerfDiff on the procedural scenes and reconstruct a scene from one
 * image as turntables with and without NeRF-guided distillation. The work is the {@code kiln-nerfdiff}
 * tool of the NeRF module, found at run time, so the command line does not compile against it.
 */
@Command(name = "nerfdiff", mixinStandardHelpOptions = true,
    description = {"NerfDiff single-image view synthesis (arXiv 2302.10109).",
        "  kiln nerfdiff train --output DIR [--config FILE] [--seed N] [--threads N]",
        "  kiln nerfdiff reconstruct --model DIR (--scene N | --image FILE.png [--azimuth A] [--elevation E])",
        "                            --output DIR [--frames N] [--no-ngd] [--seed N] [--threads N]",
        "  kiln nerfdiff export --model DIR --output DIR",
        "  kiln nerfdiff evaluate --onnx DIR [--count N] [--seed S] [--threads N] [--metrics FILE.json]",
        "reconstruct writes PNG frames, an animated GIF per method and a turntable.png sheet;",
        "export writes the encoder, the single-image NeRF and the CDM as plain ONNX models;",
        "evaluate reconstructs N held-out scenes from one view with exported files and prints PSNR/SSIM."})
public final class NerfDiffCommand implements Callable<Integer> {

  /** The NeRF module's tool. */
  static final String TOOL = "kiln-nerfdiff";

  /** The subcommand and its options, handed to the tool as they are. */
  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return MethodTools.run(TOOL, "the NeRF module (module dev.kiln.nerf)", args);
  }
}
