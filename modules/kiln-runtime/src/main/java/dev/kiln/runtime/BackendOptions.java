package dev.kiln.runtime;

/**
 * How sessions are created.
 *
 * @param device where to run
 * @param intraOpThreads threads inside one operator (0 = ONNX Runtime's default, one per core)
 * @param interOpThreads threads across independent operators (0 = default)
 * @param optimization graph optimisation level
 * @param cudaDeviceId which GPU when the device is CUDA
 */
public record BackendOptions(Device device, int intraOpThreads, int interOpThreads, Optimization optimization,
    int cudaDeviceId) {

  /** ONNX Runtime graph optimisation levels. */
  public enum Optimization { NONE, BASIC, EXTENDED, ALL }

  public BackendOptions {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0");
    }
  }

  /** Auto device, default threads, all optimisations. */
  public static BackendOptions defaults() {
    return new BackendOptions(Device.AUTO, 0, 0, Optimization.ALL, 0);
  }

  /** CPU only, with {@code threads} intra-op threads. */
  public static BackendOptions cpu(int threads) {
    return new BackendOptions(Device.CPU, threads, 1, Optimization.ALL, 0);
  }

  public BackendOptions withDevice(Device d) {
    return new BackendOptions(d, intraOpThreads, interOpThreads, optimization, cudaDeviceId);
  }

  public BackendOptions withThreads(int intra) {
    return new BackendOptions(device, intra, interOpThreads, optimization, cudaDeviceId);
  }
}
