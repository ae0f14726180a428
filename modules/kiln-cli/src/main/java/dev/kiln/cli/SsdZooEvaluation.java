package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ssdnerf-reconstruction} evaluation of a zoo card: the folder's exported SSDNeRF
 * ({@code decoder.onnx} and {@code denoiser.onnx}) reconstructs {@code count} unseen scenes of its dataset
 * from one input view each (guided DDIM and the finetune, seeded by {@code seed}), and the renders at each
 * scene's eight held-out views are scored against the ray-traced truth: {@code psnr_1view} (dB) and
 * {@code ssim_1view}. The work is the NeRF module's {@code kiln-ssdnerf} tool ({@code evaluate}), found at
 * run time, so the command line compiles against no method module.
 */
final class SsdZooEvaluation {

  /** The card's {@code evaluation.type}. */
  static final String TYPE = "ssdnerf-reconstruction";

  /** The tool that trains and measures SSDNeRF. */
  static final String TOOL = "kiln-ssdnerf";

  private SsdZooEvaluation() {}

  /**
   * The card's fields for this kind: {@code model}, {@code count} (scenes, 1..64) and {@code seed};
   * {@code samplingFields} says whether any field of a sample-quality evaluation is set.
   */
  static void check(Integer count, boolean samplingFields) {
    if (count == null || count < 1 || count > 64) {
      throw new ConfigException("field `evaluation.count` (unseen scenes to reconstruct) must be in 1..64, got "
          + count);
    }
    if (samplingFields) {
      throw new ConfigException("fields `evaluation.sampler`, `steps`, `guidance` and `settings` belong to a"
          + " sample-quality evaluation; an " + TYPE + " evaluation takes `model`, `count` and `seed`");
    }
  }

  /** The numbers {@code e} measures on the model exported in {@code folder}. */
  static Map<String, Double> measure(Path folder, ZooCard.Evaluation e, int threads) {
    String out = ZooToolTraining.run(TOOL, "evaluate", "--model", folder.toString(), "--scenes",
        Integer.toString(e.count()), "--seed", Long.toString(e.seed()), "--threads", Integer.toString(Math.max(1,
            threads)));
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    if (lines.isEmpty()) {
      throw new IllegalStateException(TOOL + " evaluate printed no result: " + out);
    }
    JsonNode json = Configs.parse(lines.get(lines.size() - 1), TOOL + " evaluate");
    Map<String, Double> measured = new LinkedHashMap<>();
    json.properties().forEach(p -> measured.put(p.getKey(), p.getValue().asDouble()));
    return measured;
  }

  /** The card README's sentence on how the numbers are measured. */
  static String describe(ZooCard.Evaluation e) {
    return "Single-view reconstruction by the exported decoder and denoiser of " + e.count() + " unseen scenes (the"
        + " first after the dataset's training and test splits), guided DDIM and the finetune with seed " + e.seed()
        + ", scored as PSNR and SSIM at each scene's eight held-out views; ONNX Runtime on one CPU thread.";
  }
}
