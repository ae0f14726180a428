package dev.kiln.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code kiln ssdnerf}: train single-stage SSDNeRF from a recipe into exported ONNX files, and measure an
 * exported one. The work is the NeRF module's {@code kiln-ssdnerf} tool, found at run time.
 */
@Command(name = "ssdnerf", mixinStandardHelpOptions = true,
    description = {"SSDNeRF single-stage diffusion NeRF (arXiv 2304.06714).",
        "  kiln ssdnerf train --config RECIPE.json [--seed N] --output DIR [--threads N]",
        "  kiln ssdnerf export --model DIR --output DIR",
        "  kiln ssdnerf evaluate --onnx DIR [--count N] [--seed N] [--threads N] [--metrics FILE.json]",
        "train writes config.json, metrics.jsonl, decoder.onnx and denoiser.onnx into DIR (kiln zoo publish",
        "NAME --run DIR ships them); evaluate prints 1-view reconstruction PSNR and SSIM on unseen scenes."})
final class SsdNerfCommand implements Callable<Integer> {

  /** The subcommand and its options, handed to the tool as they are. */
  @Unmatched
  List<String> args = new ArrayList<>();

  /** The NeRF module's tool that does the work. */
  static final String TOOL = "kiln-ssdnerf";

  @Override
  public Integer call() {
    return MethodTools.run(TOOL, "the NeRF module (module dev.kiln.nerf)", args);
  }
}
