package dev.kiln.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.inference.SampleBatches;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A sampling job as the executors receive it, resolved and checked on the driver: the model, the sampler by
 * name with its settings, steps, count, seed, label, guidance and the shard size. Shard {@code k} is batch
 * {@code k} of {@link SampleBatches}, the same batches {@code kiln sample} draws, so with the default shard
 * size ({@value SampleBatches#DEFAULT_SIZE}) a Spark job's samples are {@code kiln sample}'s, bit for bit.
 *
 * @param overrides the sampler settings on top of the model's (a JSON object, diffusers' field names)
 * @param evaluations model evaluations per sample row (sampler NFE, doubled under guidance)
 */
public record SampleSpec(ModelFile model, String sampler, String overrides, int steps, long count, long seed,
    Integer label, double guidance, int shardSize, ExecutorRuntime runtime, int evaluations) implements Serializable {

  /** The most sampling steps a job may take (as {@code kiln sample}). */
  public static final int MAX_STEPS = 10_000;

  /**
   * Resolves a job on the driver: opens the model once to choose the sampler (null: the model's default) and
   * the steps (null: the model's default for that sampler) and to check every value against the model.
   *
   * @param settings {@code FIELD=VALUE} sampler settings, as {@code kiln sample --set}
   */
  public static SampleSpec plan(JavaSparkContext sc, Path modelPath, String samplerName, List<String> settings,
      Integer steps, long count, long seed, Integer label, double guidance, int shardSize, ExecutorRuntime runtime)
      throws IOException {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + count);
    }
    if (shardSize < 1) {
      throw new IllegalArgumentException("--shard-size must be at least 1, got " + shardSize);
    }
    if (steps != null && (steps < 1 || steps > MAX_STEPS)) {
      throw new IllegalArgumentException("--steps must be in 1.." + MAX_STEPS + ", got " + steps);
    }
    if (!Double.isFinite(guidance)) {
      throw new IllegalArgumentException("--guidance must be a finite number, got " + guidance);
    }
    ObjectNode overrides = overrides(settings);
    try (GenerativeModel m = GenerativeModel.load(modelPath, runtime.backend())) {
      if (m.isField()) {
        throw new IllegalArgumentException(modelPath + " is a field model (DPF); the Spark jobs sample models of"
            + " fixed sample shape");
      }
      if (m.numClasses() > 0) {
        if (label != null && (label < 0 || label >= m.numClasses())) {
          throw new IllegalArgumentException("--label must be in 0.." + (m.numClasses() - 1) + " for " + modelPath
              + ", got " + label);
        }
      } else if (label != null || guidance != 1.0) {
        throw new IllegalArgumentException("--label and --guidance: " + modelPath + " is an unconditional model");
      }
      String name = samplerName != null ? samplerName : m.defaultSampler();
      SamplerProvider<?> provider = Providers.named(ExecutorRuntime.samplers(), name, "--sampler");
      Sampler sampler = m.sampler(provider, overrides, "sampler " + name);
      int n = steps != null ? steps : m.defaultSteps(sampler);
      int nfe = sampler.evaluations(n) * (m.numClasses() > 0 && guidance != 1 && guidance != 0 ? 2 : 1);
      return new SampleSpec(ModelFile.broadcast(sc, modelPath, "--model"), provider.name(), overrides.toString(), n,
          count, seed, label, guidance, shardSize, runtime, nfe);
    }
  }

  /** Number of shards. */
  public long shards() {
    return (count + shardSize - 1) / shardSize;
  }

  /** The job's batches on this JVM, over its session of the model. */
  public SampleBatches batches() {
    GenerativeModel m = runtime.generative(model);
    SamplerProvider<?> provider = Providers.named(ExecutorRuntime.samplers(), sampler, "--sampler");
    JsonNode o;
    try {
      o = Configs.mapper().readTree(overrides);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SampleBatches(m, m.sampler(provider, o, "sampler " + sampler), steps, count, seed, label, guidance,
        shardSize);
  }

  /** A copy with another count, seed and shard size (the same model, sampler and settings). */
  public SampleSpec with(long newCount, long newSeed, int newShardSize) {
    return new SampleSpec(model, sampler, overrides, steps, newCount, newSeed, label, guidance, newShardSize, runtime,
        evaluations);
  }

  /** {@code FIELD=VALUE} pairs as sampler settings, as {@code kiln sample --set} reads them. */
  static ObjectNode overrides(List<String> settings) {
    return Configs.putSettings(Configs.mapper().createObjectNode(), settings, "--set");
  }
}
