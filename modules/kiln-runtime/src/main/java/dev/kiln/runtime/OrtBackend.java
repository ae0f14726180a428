package dev.kiln.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates ONNX Runtime sessions. With {@link Device#AUTO} or {@link Device#CUDA} it adds the CUDA
 * execution provider and falls back to CPU, with one log line saying why, when CUDA cannot load
 * (the CPU-only jar, no GPU, or missing CUDA libraries).
 */
public final class OrtBackend {

  private static final System.Logger LOG = System.getLogger("dev.kiln.runtime");
  private static volatile String cudaFailure;
  private static volatile boolean fallbackLogged;

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final BackendOptions options;

  public OrtBackend(BackendOptions options) {
    this.options = options;
  }

  /** A backend with {@link BackendOptions#defaults()}. */
  public OrtBackend() {
    this(BackendOptions.defaults());
  }

  public BackendOptions options() {
    return options;
  }

  OrtEnvironment environment() {
    return env;
  }

  /** A session for a serialised model. */
  public Session load(byte[] model) {
    return open(model, null);
  }

  /** A session for a model proto. */
  public Session load(ModelProto model) {
    return load(model.toByteArray());
  }

  /** A session for a model file (external data next to it is found by ONNX Runtime). */
  public Session load(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new java.nio.file.NoSuchFileException(path.toString(), null, "model file does not exist");
    }
    return open(null, path);
  }

  private Session open(byte[] bytes, Path path) {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (options.interOpThreads() > 0) {
        so.setInterOpNumThreads(options.interOpThreads());
      }
      so.setOptimizationLevel(switch (options.optimization()) {
        case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
        case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
        case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      });
      Device actual = Device.CPU;
      if (options.device() != Device.CPU) {
        actual = tryCuda(so) ? Device.CUDA : Device.CPU;
      }
      OrtSession s = bytes != null ? env.createSession(bytes, so) : env.createSession(path.toString(), so);
      return new Session(env, s, so, actual);
    } catch (OrtException e) {
      so.close();
      String origin = path == null ? "in-memory model" : path.toString();
      throw new KilnRuntimeException("ONNX Runtime could not load " + origin + ": " + e.getMessage(), e);
    }
  }

  private boolean tryCuda(OrtSession.SessionOptions so) {
    if (cudaFailure != null) {
      logFallback();
      return false;
    }
    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(options.cudaDeviceId())) {
      // TF32 would break float32 parity with CPU at 1e-5; a heuristic conv search keeps first runs fast.
      cuda.add("use_tf32", "0");
      cuda.add("cudnn_conv_algo_search", "HEURISTIC");
      so.addCUDA(cuda);
      return true;
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      cudaFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
      logFallback();
      return false;
    }
  }

  private void logFallback() {
    if (!fallbackLogged) {
      fallbackLogged = true;
      LOG.log(options.device() == Device.CUDA ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
          "CUDA execution provider unavailable, running on CPU: " + cudaFailure);
    }
  }

  /** Why CUDA could not be used in this process, or null if it was not tried or worked. */
  public static String cudaFailure() {
    return cudaFailure;
  }
}
