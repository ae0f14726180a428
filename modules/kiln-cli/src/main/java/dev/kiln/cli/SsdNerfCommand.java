package dev.kiln.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.spi.ToolProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code kiln ssdnerf}: train single-stage SSDNeRF from a recipe into exported ONNX files, and measure an
 * exported one. The work is the NeRF module's {@code kiln-ssdnerf} tool, found at run time.
 */
@Command(name = "ssdnerf", mixinStandardHelpOptions = true,
    description = {"SSDNeRF single-stage diffusion NeRF (arXiv 2304.06714).",
        "  kiln ssdnerf train --config RECIPE.json --output DIR [--threads N]",
        "  kiln ssdnerf evaluate --model DIR [--scenes N] [--seed N] [--threads N]",
        "train writes recipe.json, metrics.jsonl, decoder.onnx and denoiser.onnx into DIR (kiln zoo publish",
        "NAME --run DIR ships them); evaluate prints 1-view reconstruction PSNR and SSIM on unseen scenes."})
final class SsdNerfCommand implements Callable<Integer> {

  /** The subcommand and its options, handed to the tool as they are. */
  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    ToolProvider tool = ToolProvider.findFirst(SsdZooEvaluation.TOOL).orElseThrow(() -> new IllegalStateException(
        "the NeRF module (module dev.kiln.nerf, tool " + SsdZooEvaluation.TOOL + ") is not on the module path"));
    return tool.run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
  }
}
