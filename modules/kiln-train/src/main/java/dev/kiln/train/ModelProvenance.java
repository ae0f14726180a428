package dev.kiln.train;

import dev.kiln.spi.DataIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a model trained by a method's own loop (NerfDiff, Control3Diff, PLANNER) was made, in the same
 * {@code metadata_props} keys {@code kiln export} writes for {@code kiln train} runs: the source commit
 * read when training started, and the training data's name and hash. A checkpoint keeps it, so an export
 * from another checkout later still names the commit that trained.
 *
 * @param sourceCommit {@link SourceCommit#current()} when training started ({@link SourceCommit#UNKNOWN} if not recorded)
 * @param data the training data, or null when not recorded
 */
public record ModelProvenance(String sourceCommit, DataIdentity data) {

  public ModelProvenance {
    sourceCommit = sourceCommit == null ? SourceCommit.UNKNOWN : sourceCommit;
  }

  /** The provenance of a training that starts now on {@code data}. */
  public static ModelProvenance startingNow(DataIdentity data) {
    return new ModelProvenance(SourceCommit.current(), data);
  }

  /** What {@link #checkpointMetadata} wrote; entries absent from an older checkpoint read as unknown. */
  public static ModelProvenance fromMetadata(Map<String, String> metadata) {
    String name = metadata.get(TrainingRun.DATA_NAME);
    String sha = metadata.get(TrainingRun.DATA_SHA256);
    return new ModelProvenance(metadata.get(TrainingRun.SOURCE_COMMIT),
        name == null || sha == null ? null : new DataIdentity(name, sha));
  }

  /** The entries a checkpoint keeps: source commit and data. */
  public Map<String, String> checkpointMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(TrainingRun.SOURCE_COMMIT, sourceCommit);
    if (data != null) {
      m.put(TrainingRun.DATA_NAME, data.name());
      m.put(TrainingRun.DATA_SHA256, data.sha256());
    }
    return m;
  }

  /**
   * The entries an exported model carries: {@code recipe} (the config it was trained from, as JSON),
   * {@code seed}, {@code step}, {@code weights} ({@code raw}), then the source commit and the data.
   * The ONNX writer adds {@code kiln_version}.
   */
  public Map<String, String> exportMetadata(String recipeJson, long seed, long step) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("recipe", recipeJson);
    m.put("seed", Long.toString(seed));
    m.put("step", Long.toString(step));
    m.put("weights", "raw");
    m.putAll(checkpointMetadata());
    return m;
  }
}
