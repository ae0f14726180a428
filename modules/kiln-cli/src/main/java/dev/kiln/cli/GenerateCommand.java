package dev.kiln.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln generate}: paragraphs from an exported text model (a PLANNER folder or a language-model
 * folder). The work is the {@code kiln-generate} tool of kiln-text, found at run time, so the command
 * line does not compile against the text module.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate paragraphs from an exported PLANNER or language-model folder, for an attribute",
        "and/or a prefix. PLANNER samples latents with DDIM and decodes them greedily; a language model",
        "decodes greedily, or by nucleus sampling with --top-p. One paragraph per line."})
public final class GenerateCommand implements Callable<Integer> {

  static final String TOOL = "kiln-generate";

  @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "exported model folder")
  Path model;

  @Option(names = "--attribute", paramLabel = "C", description = "attribute class (default: none)")
  Integer attribute;

  @Option(names = "--prefix", paramLabel = "TEXT", description = "text the paragraphs continue")
  String prefix;

  @Option(names = {"-n", "--count"}, description = "paragraphs (default: ${DEFAULT-VALUE})")
  int count = 4;

  @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
  int seed;

  @Option(names = "--guidance", description = "PLANNER: classifier-free guidance on the attribute (default: ${DEFAULT-VALUE})")
  double guidance = 1;

  @Option(names = "--steps", description = "PLANNER: DDIM steps (default: ${DEFAULT-VALUE})")
  int steps = 20;

  @Option(names = "--top-p", description = "language model: nucleus mass, 0 = greedy (default: ${DEFAULT-VALUE})")
  double topP;

  @Option(names = "--top-k", description = "language model: candidates before the nucleus cut (default: all)")
  int topK;

  @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of(model.toString(), "-n", Integer.toString(count), "--seed",
        Integer.toString(seed), "--guidance", Double.toString(guidance), "--steps", Integer.toString(steps),
        "--top-p", Double.toString(topP), "--top-k", Integer.toString(topK), "--threads", Integer.toString(threads)));
    if (attribute != null) {
      args.addAll(List.of("--attribute", attribute.toString()));
    }
    if (prefix != null) {
      args.addAll(List.of("--prefix", prefix));
    }
    return MethodTools.run(TOOL, "the text module (module dev.kiln.text)", args);
  }
}
