package dev.kiln.transformers.serving;

import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Configs;
import dev.kiln.transformers.model.UniversalTransformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a trained Universal Transformer / Hyper-UT for serving: {@value #EMBED}, {@value #STEP} and
 * {@value #HEAD} for {@link AdaptiveDepthRunner}, {@value #LOOP} (one model with an ONNX Loop,
 * {@link LoopModel}), {@value #UNROLLED} (the training graph's forward pass: always T_max steps) and
 * {@value #SETTINGS} (T_max and ε, which the Java loop needs).
 */
public final class ServingExport {

  public static final String EMBED = "embed.onnx";
  public static final String STEP = "step.onnx";
  public static final String HEAD = "head.onnx";
  public static final String LOOP = "loop.onnx";
  public static final String UNROLLED = "unrolled.onnx";
  public static final String SETTINGS = "serving.json";

  private ServingExport() {}

  /**
   * The halting settings the serving loop reads.
   *
   * @param maxSteps T_max
   * @param actEpsilon ε
   */
  public record Settings(Integer maxSteps, Double actEpsilon) {

    public Settings {
      if (maxSteps == null || maxSteps < 1 || actEpsilon == null || !(actEpsilon > 0 && actEpsilon < 1)) {
        throw new IllegalArgumentException(SETTINGS + " needs `max_steps` >= 1 and `act_epsilon` in (0, 1), got "
            + maxSteps + ", " + actEpsilon);
      }
    }

    static Settings read(Path dir) throws IOException {
      return Configs.read(Configs.mapper().readTree(Files.readString(dir.resolve(SETTINGS))), Settings.class,
          dir.resolve(SETTINGS).toString());
    }
  }

  /** Writes every serving file of {@code arch} with {@code weights} into {@code dir}. */
  public static void write(Path dir, UniversalTransformer arch, Weights weights, OrtBackend backend,
      Map<String, String> metadata) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(EMBED), ServingGraphs.export(ServingGraphs.embed(arch), weights, backend, metadata)
        .toByteArray());
    AtomicFiles.write(dir.resolve(STEP), ServingGraphs.export(ServingGraphs.step(arch), weights, backend, metadata)
        .toByteArray());
    AtomicFiles.write(dir.resolve(HEAD), ServingGraphs.export(ServingGraphs.head(arch), weights, backend, metadata)
        .toByteArray());
    AtomicFiles.write(dir.resolve(LOOP), LoopModel.build(arch, weights, backend).toByteArray());
    AtomicFiles.write(dir.resolve(UNROLLED), ServingGraphs.export(ServingGraphs.forward(arch), weights, backend, metadata)
        .toByteArray());
    Settings s = new Settings(arch.halting().maxSteps(), arch.halting().epsilon());
    AtomicFiles.write(dir.resolve(SETTINGS), Configs.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(s));
  }
}
