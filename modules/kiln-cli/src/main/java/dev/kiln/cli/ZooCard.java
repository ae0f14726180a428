package dev.kiln.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine-readable half of a zoo model's card, {@code card.json}: what the folder ships, which recipe
 * trained each model file, the evaluation {@code kiln zoo verify} re-runs, the numbers it measured and the
 * tolerance it compares them within. The README is the readable half; its "Measured" block is written
 * from this file by {@code kiln zoo publish}.
 *
 * @param name the folder's name
 * @param method what the model is, in a line
 * @param models the trained files and the recipes that train them, in training order (a BOOT teacher
 *     before its student)
 * @param evaluation what {@code kiln zoo verify} runs on the shipped model
 * @param metrics the numbers the evaluation measured when the model was published (empty before)
 * @param tolerance how far a re-run may land from {@code metrics} on another machine
 * @param leaveOut files an export writes that the folder does not ship ({@code serving/unrolled.onnx}, which
 *     repeats {@code model.onnx}); {@code kiln zoo publish} removes them
 */
record ZooCard(String name, String method, List<Trained> models, Evaluation evaluation, Map<String, Double> metrics,
    Tolerance tolerance, List<String> leaveOut) {

  /** The card's file name in a model folder. */
  static final String FILE = "card.json";

  ZooCard {
    if (name == null || !name.matches("[a-z0-9][a-z0-9.-]*")) {
      throw new ConfigException("field `name` must be the folder name (lower case, digits, . and -), got " + name);
    }
    if (method == null || method.isBlank()) {
      throw new ConfigException("field `method` must say what the model is, got " + method);
    }
    if (models == null || models.isEmpty()) {
      throw new ConfigException("field `models` must name at least one trained file and its recipe");
    }
    if (evaluation == null) {
      throw new ConfigException("field `evaluation` is missing: a card says how its numbers are measured");
    }
    models = List.copyOf(models);
    metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    metrics.forEach((k, v) -> {
      if (v == null || !Double.isFinite(v)) {
        throw new ConfigException("field `metrics." + k + "` must be a finite number, got " + v);
      }
    });
    tolerance = tolerance == null ? Tolerance.DEFAULT : tolerance;
    leaveOut = leaveOut == null ? List.of() : List.copyOf(leaveOut);
    leaveOut.forEach(f -> requireRelative("leave_out", f));
  }

  /**
   * A model file and the recipe that trains it, both relative to the folder.
   *
   * @param file the exported model ({@code model.onnx})
   * @param recipe the recipe that trained it ({@code recipe.json}), or the config a method's own tool
   *     trains from
   * @param tool null for {@code kiln train}; else the method tool that trains and exports the file
   *     ({@code kiln-nerfdiff}: see {@link ToolTraining})
   * @param seed the tool's training seed (null: 0); {@code kiln train} takes its seed from the recipe
   */
  record Trained(String file, String recipe, String tool, Long seed) {
    Trained {
      requireRelative("models[].file", file);
      requireRelative("models[].recipe", recipe);
      if (!file.endsWith(".onnx")) {
        throw new ConfigException("field `models[].file` must be an .onnx file, got " + file);
      }
      if (tool != null && !tool.matches("kiln-[a-z0-9-]+")) {
        throw new ConfigException("field `models[].tool` must name a Kiln method tool (kiln-nerfdiff, ...), got "
            + tool);
      }
      if (tool == null && seed != null) {
        throw new ConfigException("field `models[].seed` belongs to a tool-trained file; a `kiln train` recipe"
            + " holds its own seed (file " + file + ")");
      }
      seed = tool != null && seed == null ? Long.valueOf(0) : seed;
    }

    /** Whether a method tool, not {@code kiln train}, trains this file. */
    boolean byTool() {
      return tool != null;
    }

    /** Whether {@code o} comes out of the same tool run as this file (same tool, config and seed). */
    boolean sameRun(Trained o) {
      return byTool() && tool.equals(o.tool) && recipe.equals(o.recipe) && seed.equals(o.seed);
    }
  }

  /** The kinds of evaluation a card can name. */
  enum Kind {
    /** Sample quality against held-out data, as {@code kiln eval} measures it. */
    SAMPLE_QUALITY("sample-quality"),
    /** The training task's own evaluation (held-out accuracy, bits per character) on the exported model. */
    TASK("task"),
    /**
     * A method tool's own held-out evaluation of the exported files ({@code kiln nerfdiff evaluate}:
     * novel-view PSNR of scenes reconstructed from one view; {@link ToolTraining}).
     */
    TOOL("tool"),
    /** Samples of a field model (DPF) on its grid, measured as the DPF study does ({@link FieldZooEvaluation}). */
    FIELD_QUALITY("field-quality");

    final String id;

    Kind(String id) {
      this.id = id;
    }

    static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.id.equals(s)) {
          return k;
        }
      }
      throw new ConfigException("field `evaluation.type` must be one of " + java.util.Arrays.stream(values())
          .map(k -> k.id).toList() + ", got " + s);
    }

    /** Whether the evaluation draws samples (and so takes {@code sampler}, {@code steps}, {@code count}). */
    boolean samples() {
      return this == SAMPLE_QUALITY || this == FIELD_QUALITY;
    }
  }

  /**
   * What {@code kiln zoo verify} runs.
   *
   * @param type {@code sample-quality}, {@code task}, {@code field-quality} or {@code tool}
   * @param model the file evaluated ({@code model.onnx}); for {@code tool}, a file of the tool-trained model
   * @param sampler sample-quality: the sampler (null: the model's default)
   * @param steps sample-quality: sampling steps (null: the model's default)
   * @param count sample-quality: samples drawn; tool: held-out scenes or paragraphs
   * @param seed noise seed (sample-quality) or the task's evaluation seed
   * @param guidance sample-quality: classifier-free guidance scale (1: none)
   * @param settings sample-quality: sampler settings, as {@code kiln eval --set FIELD=VALUE}
   */
  record Evaluation(String type, String model, String sampler, Integer steps, Integer count, Long seed,
      Double guidance, ObjectNode settings) {
    Evaluation {
      Kind.parse(type);
      requireRelative("evaluation.model", model);
      seed = seed == null ? 0L : seed;
      guidance = guidance == null ? 1.0 : guidance;
      settings = settings == null ? Configs.mapper().createObjectNode() : settings;
      if (Kind.parse(type).samples()) {
        if (count == null || count < 2 || count > EvalCommand.MAX_COUNT) {
          throw new ConfigException("field `evaluation.count` must be in 2.." + EvalCommand.MAX_COUNT + ", got "
              + count);
        }
        if (steps != null && (steps < 1 || steps > Sampling.MAX_STEPS)) {
          throw new ConfigException("field `evaluation.steps` must be in 1.." + Sampling.MAX_STEPS + ", got " + steps);
        }
        if (!Double.isFinite(guidance)) {
          throw new ConfigException("field `evaluation.guidance` must be finite, got " + guidance);
        }
      } else if (Kind.parse(type) == Kind.TOOL) {
        if (count == null || count < 1 || count > ToolTraining.MAX_COUNT) {
          throw new ConfigException("field `evaluation.count` must be in 1.." + ToolTraining.MAX_COUNT
              + " for a tool evaluation, got " + count);
        }
        if (sampler != null || steps != null || !settings.isEmpty()) {
          throw new ConfigException("fields `evaluation.sampler`, `steps` and `settings` belong to a sample-quality"
              + " evaluation; a tool evaluation takes `model`, `count` and `seed`");
        }
      } else if (sampler != null || steps != null || count != null || !settings.isEmpty()) {
        throw new ConfigException("fields `evaluation.sampler`, `steps`, `count` and `settings` belong to a"
            + " sample-quality or field-quality evaluation; a " + type + " evaluation takes only `model` and `seed`");
      }
    }

    Kind kind() {
      return Kind.parse(type);
    }

    /** The same measurement as a command line, run from the checkout (for the card and {@code kiln zoo show}). */
    String command(String folder) {
      if (kind() != Kind.SAMPLE_QUALITY) {
        return "./kiln zoo verify " + folder;
      }
      StringBuilder sb = new StringBuilder("./kiln eval model-zoo/" + folder + "/" + model);
      if (sampler != null) {
        sb.append(" --sampler ").append(sampler);
      }
      if (steps != null) {
        sb.append(" --steps ").append(steps);
      }
      sb.append(" -n ").append(count).append(" --seed ").append(seed);
      if (guidance != 1.0) {
        sb.append(" --guidance ").append(number(guidance));
      }
      settings.properties().forEach(e -> sb.append(" --set ").append(e.getKey()).append('=')
          .append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      return sb.append(" --threads 1").toString();
    }
  }

  /**
   * How far a re-measured number may be from the card's: {@code |measured − card| ≤ absolute + relative·|card|}.
   * On the machine that published the model the evaluation repeats bit for bit; the tolerance covers
   * other CPUs, whose ONNX Runtime kernels may round differently.
   */
  record Tolerance(Double relative, Double absolute) {
    static final Tolerance DEFAULT = new Tolerance(0.01, 1e-4);

    Tolerance {
      relative = relative == null ? 0.01 : relative;
      absolute = absolute == null ? 1e-4 : absolute;
      if (!(relative >= 0 && relative < 1) || !(absolute >= 0) || !Double.isFinite(absolute)) {
        throw new ConfigException("field `tolerance` needs 0 <= relative < 1 and a finite absolute >= 0, got relative "
            + relative + ", absolute " + absolute);
      }
    }

    boolean accepts(double card, double measured) {
      return Math.abs(measured - card) <= absolute + relative * Math.abs(card);
    }

    @Override
    public String toString() {
      return "±(" + plain(absolute) + " + " + plain(relative) + "·|value|)";
    }
  }

  /** Reads {@code folder/card.json}; every error names the file and the field. */
  static ZooCard read(Path folder) {
    Path file = folder.resolve(FILE);
    JsonNode n = Configs.readFile(file, "zoo card");
    ZooCard card;
    try {
      card = Configs.read(n, ZooCard.class, file.toString());
    } catch (ConfigException e) {
      throw e.getMessage().startsWith(file.toString()) ? e : new ConfigException(file + ": " + e.getMessage(), e);
    }
    String dir = folder.toAbsolutePath().normalize().getFileName().toString();
    if (!card.name().equals(dir)) {
      throw new ConfigException(file + ": field `name` is " + card.name() + " but the folder is " + dir);
    }
    return card;
  }

  /** The command line that measures this card's numbers, run from the checkout. */
  String command() {
    if (evaluation.kind() == Kind.TOOL) {
      return ToolTraining.evaluationCommand(this);
    }
    return evaluation.command(name);
  }

  /** The tool-trained file the card's tool evaluation reads; a config error when there is none. */
  Trained evaluated() {
    return models.stream().filter(t -> t.file().equals(evaluation.model())).findFirst()
        .filter(Trained::byTool).orElseThrow(() -> new ConfigException("field `evaluation.model` of a tool evaluation"
            + " must be a tool-trained file of `models`, got " + evaluation.model()));
  }

  /** This card with {@code measured} as its numbers. */
  ZooCard withMetrics(Map<String, Double> measured) {
    return new ZooCard(name, method, models, evaluation, measured, tolerance, leaveOut);
  }

  /** Writes the card to {@code folder/card.json} (a temporary file, then moved). */
  void write(Path folder) throws IOException {
    String json = Configs.mapper().copy().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
        .writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    AtomicFiles.write(folder.resolve(FILE), json.getBytes(StandardCharsets.UTF_8));
  }

  /** A number as the card shows it: four significant digits. */
  static String number(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static void requireRelative(String field, String path) {
    if (path == null || path.isBlank() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
      throw new ConfigException("field `" + field + "` must be a file inside the model folder, got " + path);
    }
  }
}
