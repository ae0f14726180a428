package dev.kiln.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code kiln planner}: train PLANNER on the State of the Union paragraphs, export the model folder
 * {@code kiln generate} reads, and measure one. The work is the {@code kiln-planner} tool of the text
 * module, found at run time, so the command line does not compile against it.
 */
@Command(name = "planner", mixinStandardHelpOptions = true,
    description = {"PLANNER latent paragraph diffusion (arXiv 2306.02531).",
        "  kiln planner train --config FILE --output DIR [--seed N] [--threads N]",
        "  kiln planner export --model DIR --output DIR",
        "  kiln planner evaluate --onnx DIR [--count N] [--seed S] [--threads N] [--metrics FILE.json]",
        "evaluate prints the embedder's reconstruction BLEU on held-out paragraphs and the diversity",
        "(distinct-2, Rep-4, self-BLEU) of `kiln generate DIR -n N --seed S`."})
public final class PlannerCommand implements Callable<Integer> {

  /** The text module's tool. */
  static final String TOOL = "kiln-planner";

  /** The subcommand and its options, handed to the tool as they are. */
  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return MethodTools.run(TOOL, "the text module (module dev.kiln.text)", args);
  }
}
