package dev.kiln.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A run folder held by one writer: {@link #lock} takes an exclusive lock on {@code run.lock} (released when
 * the process ends, however it ends), so a second {@code kiln train} on the same folder is refused rather
 * than interleaving its checkpoints and metrics with the first.
 */
public final class RunFolder implements AutoCloseable {

  /** The lock file in a run folder. */
  public static final String LOCK = "run.lock";
  /** Where accepted recipe changes on resume are recorded, one JSON object a line. */
  public static final String RECIPE_CHANGES = "recipe-changes.jsonl";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private RunFolder(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates {@code dir} if needed and locks it; refuses a folder another writer holds. */
  public static RunFolder lock(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigException("run folder " + dir + " is a file; choose a folder (-o DIR)");
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(LOCK);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
      ch.close();
      throw new ConfigException("run folder " + dir + " is in use by another kiln process"
          + (holder.isEmpty() ? "" : " (" + holder + ")")
          + "; wait for it to finish, or train into another folder (-o)");
    }
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now())
        .getBytes(StandardCharsets.UTF_8)));
    return new RunFolder(dir, ch, l);
  }

  public Path dir() {
    return dir;
  }

  /**
   * Checks that {@code recipe} is the one the folder's checkpoint was trained with. A difference is refused
   * with the differing fields named, unless {@code allowChange}: then it is appended to
   * returned, for the caller to say so and {@link #recordChanges record}. The seed never changes.
   *
   * @return the differences accepted (empty when the recipes agree or there is no checkpoint)
   */
  public List<String> checkResume(Recipe recipe, boolean allowChange) throws IOException {
    Path ckpt = dir.resolve(Trainer.CHECKPOINT);
    if (!Files.exists(ckpt)) {
      return List.of();
    }
    Map<String, String> meta;
    JsonNode before;
    try {
      meta = SafeTensors.readMetadata(ckpt);
      before = trainedRecipe(dir);
    } catch (IOException | ConfigException e) {
      throw new ConfigException(e.getMessage() + "; the run cannot resume from it: delete it to train from step 0,"
          + " or train into another folder (-o)", e);
    }
    List<String> diff = before == null ? List.of() : differences(before, recipe.json());
    if (diff.isEmpty()) {
      return diff;
    }
    if (!allowChange || diff.stream().anyMatch(d -> d.startsWith("seed "))) {
      throw new ConfigException("run folder " + dir + " was trained to step " + meta.get("step")
          + " with a different recipe: " + String.join("; ", diff) + ". Resume with the recipe it was trained with,"
          + " train into another folder (-o), or pass --allow-recipe-change to go on with this one (recorded in "
          + RECIPE_CHANGES + "; the seed never changes)");
    }
    return diff;
  }

  /** Appends accepted recipe changes, made when resuming after {@code step}, to {@link #RECIPE_CHANGES}. */
  public void recordChanges(long step, List<String> changes) throws IOException {
    ObjectNode line = Configs.mapper().createObjectNode().put("step", step).put("at", Instant.now().toString());
    changes.forEach(line.putArray("changes")::add);
    Files.writeString(dir.resolve(RECIPE_CHANGES), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /**
   * The recipe the run in {@code dir} was trained with: its checkpoint's, else its {@code recipe.json};
   * null for a folder that holds no run.
   */
  public static JsonNode trainedRecipe(Path dir) throws IOException {
    Path ckpt = dir.resolve(Trainer.CHECKPOINT);
    if (Files.exists(ckpt)) {
      String json = SafeTensors.readMetadata(ckpt).get("recipe");
      if (json != null) {
        return Configs.parse(json, ckpt + " (its recipe)");
      }
    }
    Path recipe = dir.resolve(TrainingRun.RECIPE);
    return Files.exists(recipe) ? Configs.readFile(recipe, "recipe") : null;
  }

  /** Fields that differ, as {@code trainer.steps is 3000 there, 1000 here}; {@code description} is ignored. */
  public static List<String> differences(JsonNode there, JsonNode here) {
    List<String> out = new ArrayList<>();
    differences("", there, here, out);
    return out;
  }

  private static void differences(String at, JsonNode there, JsonNode here, List<String> out) {
    if (there == null && here != null && here.isObject()) {
      there = Configs.mapper().createObjectNode();
    } else if (here == null && there != null && there.isObject()) {
      here = Configs.mapper().createObjectNode();
    }
    if (there != null && here != null && there.isObject() && here.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      there.fieldNames().forEachRemaining(names::add);
      here.fieldNames().forEachRemaining(names::add);
      for (String f : names) {
        if (!(at.isEmpty() && f.equals("description"))) {
          differences(at.isEmpty() ? f : at + "." + f, there.get(f), here.get(f), out);
        }
      }
    } else if (there == null || here == null || !(there.equals(here) || (there.isNumber() && here.isNumber()
        && there.decimalValue().compareTo(here.decimalValue()) == 0))) {
      out.add(at + " is " + (there == null ? "absent" : there) + " there, " + (here == null ? "absent" : here)
          + " here");
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
