package dev.kiln.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.train.InferenceModule;
import dev.kiln.train.TrainingModule;
import picocli.CommandLine.Option;

/** Options every command that runs a model shares: device and threads. */
public final class RuntimeOptions {

  @Option(names = "--device", paramLabel = "auto|cpu|cuda",
      description = "where ONNX Runtime runs (default: ${DEFAULT-VALUE}); without CUDA, cpu with a log line")
  String device = "auto";

  @Option(names = "--threads", paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default: one per core)")
  int threads;

  /** Uses {@code n} intra-op threads unless {@code --threads} chose a number. */
  RuntimeOptions threadsUnlessGiven(int n) {
    if (threads == 0) {
      threads = n;
    }
    return this;
  }

  BackendOptions backend() {
    return BackendOptions.defaults().withDevice(Device.parse(device)).withThreads(threads);
  }

  /** The Guice injector for training: tasks, architectures, samplers and renderers wired to the backend. */
  Injector injector() {
    return Guice.createInjector(new TrainingModule(backend()));
  }

  /** The Guice injector for serving: samplers and renderers wired to the backend. */
  Injector inferenceInjector() {
    return Guice.createInjector(new InferenceModule(backend()));
  }
}
