package dev.kiln.spark;

import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.spi.Providers;
import dev.kiln.spi.SamplerProvider;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * What one executor JVM keeps for every task it runs: one ONNX Runtime backend (per GPU on CUDA), one session per model
 * (created on a task's first use and reused by every later task, ONNX Runtime sessions being safe to run
 * from several task threads at once), the sampler providers, and one sample-quality scorer per data set.
 *
 * @param device where ONNX Runtime runs ({@code cpu}, {@code cuda}, {@code auto})
 * @param threads ONNX Runtime intra-op threads per session (one per task slot is the Spark way: one
 *     core per task)
 */
public record ExecutorRuntime(String device, int threads) implements Serializable {

  private static final Map<String, OrtBackend> BACKENDS = new ConcurrentHashMap<>();
  private static final Map<String, GenerativeModel> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();
  private static final Map<String, SampleQuality> SCORERS = new ConcurrentHashMap<>();
  private static volatile Map<String, SamplerProvider<?>> samplers;

  public ExecutorRuntime {
    Device.parse(device);
    if (threads < 1) {
      throw new IllegalArgumentException("--ort-threads must be at least 1, got " + threads);
    }
  }

  /**
   * The backend of this JVM for these options. On CUDA, a task that Spark gave a GPU ({@code
   * spark.task.resource.gpu.amount}) runs on that GPU's address; otherwise on GPU 0.
   */
  public OrtBackend backend() {
    int gpu = gpuAddress();
    return BACKENDS.computeIfAbsent(this + "#" + gpu, k -> {
      BackendOptions d = BackendOptions.defaults().withDevice(Device.parse(device)).withThreads(threads);
      return new OrtBackend(new BackendOptions(d.device(), d.intraOpThreads(), d.interOpThreads(), d.optimization(),
          gpu));
    });
  }

  /** The first GPU address Spark assigned to the running task, or 0 (the driver, or no GPU resources). */
  private static int gpuAddress() {
    TaskContext tc = TaskContext.get();
    if (tc == null) {
      return 0;
    }
    ResourceInformation gpu = tc.resourcesJMap().get("gpu");
    if (gpu == null || gpu.addresses().length == 0) {
      return 0;
    }
    try {
      return Integer.parseInt(gpu.addresses()[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Spark's GPU address `" + gpu.addresses()[0] + "` is not a CUDA device number",
          e);
    }
  }

  /** The generative model of {@code file} in this JVM. */
  public GenerativeModel generative(ModelFile file) {
    return MODELS.computeIfAbsent(key(file), k -> {
      try {
        return GenerativeModel.load(file.local(), backend());
      } catch (IOException e) {
        throw new UncheckedIOException(file.name() + ": " + e.getMessage(), e);
      }
    });
  }

  /** A plain session over {@code file} in this JVM (batch inference of any model). */
  public Session session(ModelFile file) {
    return SESSIONS.computeIfAbsent(key(file), k -> backend().load(file.bytes().value()));
  }

  /** The scorer for the data {@code model} was trained on. */
  public SampleQuality quality(GenerativeModel model) {
    String data = model.data();
    if (data == null) {
      throw new IllegalArgumentException(model.path() + ": metadata names no training data (`data` or a recipe)");
    }
    return SCORERS.computeIfAbsent(data + "@" + this + "#" + gpuAddress(), k -> new SampleQuality(task(model), backend()));
  }

  /** The data {@code model} was trained on, as a diffusion task (held-out data and metrics). */
  static DiffusionTask task(GenerativeModel model) {
    return new DiffusionTask(new DiffusionTaskConfig(model.data(), null, null, model.numClasses() > 0, null));
  }

  /** Every sampler provider on the class path, by name. */
  static Map<String, SamplerProvider<?>> samplers() {
    if (samplers == null) {
      samplers = Providers.load(SamplerProvider.class);
    }
    return samplers;
  }

  private String key(ModelFile file) {
    return file.sha256() + "@" + this + "#" + gpuAddress();
  }
}
