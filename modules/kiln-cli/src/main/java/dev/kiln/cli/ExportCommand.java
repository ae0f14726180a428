package dev.kiln.cli;

import dev.kiln.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln export RUN_DIR}. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export a trained run as a plain ONNX model that ONNX Runtime serves.",
        "The forward graph is the one that was trained; the checkpoint's weights (their EMA when the run kept",
        "one) become initializers; the recipe, seed, Kiln version, source commit and the data's name and SHA-256",
        "go into metadata_props."})
public final class ExportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN_DIR", description = "a run folder written by `kiln train`")
  Path runDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "model file (default: RUN_DIR/model.onnx)")
  Path output;

  @Option(names = "--no-ema", description = "export the raw weights even if the run kept an EMA")
  boolean noEma;

  @Option(names = "--serving-dir", paramLabel = "DIR",
      description = {"where extra serving files go for architectures that have them, such as the adaptive-depth",
          "models of Universal Transformers (default: a `serving` folder beside the model file)"})
  Path servingDir;

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(runDir)) {
      throw new java.nio.file.NoSuchFileException(runDir.toString(), null, "run folder does not exist");
    }
    Path out = output != null ? output : runDir.resolve("model.onnx");
    Outputs.requireWritableFile(out, "-o", "model.onnx");
    TrainingRun run = runtime.injector().getInstance(TrainingRun.class);
    run.export(runDir, out, !noEma);
    System.out.println("exported " + out + " (" + Files.size(out) / 1024 + " KiB)");
    Path serving = servingDir != null ? servingDir : out.toAbsolutePath().getParent().resolve("serving");
    run.exportServing(runDir, serving, !noEma).forEach(System.out::println);
    return 0;
  }
}
