package dev.kiln.cli;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.serve.InferenceServer;
import dev.kiln.serve.ModelRepository;
import dev.kiln.serve.ServeOptions;
import dev.kiln.serve.ServedModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln serve [DIR]}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve a folder of exported models over the Open Inference Protocol (KServe V2, HTTP/REST):",
        "infer with dynamic batching, generate and generate_stream with step-level batching of sampler loops,",
        "Prometheus metrics at /metrics, a web page at /. Each model is addressed by its folder or file name.",
        "SIGTERM drains: readiness turns false, new requests get 503, in-flight ones finish. See docs/serving.md."})
public final class ServeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "DIR", arity = "0..1",
      description = "folder of exported models (default: the model zoo of this checkout)")
  Path dir;

  @Option(names = "--host", description = "address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE})")
  int port = 8000;

  @Option(names = "--max-batch-size", description = "rows merged into one ONNX Runtime call; 1 turns batching off "
      + "(default: ${DEFAULT-VALUE})")
  int maxBatchSize = ServeOptions.defaults().maxBatchSize();

  @Option(names = "--max-queue-delay-us", description = "longest a request waits for others to join its batch "
      + "(default: ${DEFAULT-VALUE})")
  long maxQueueDelayUs = ServeOptions.defaults().maxQueueDelayMicros();

  @Option(names = "--max-queue-size", description = "requests waiting per model before 429 (default: ${DEFAULT-VALUE})")
  int maxQueueSize = ServeOptions.defaults().maxQueueSize();

  @Option(names = "--no-step-batching", description = "run one sampler loop per generate request on its own")
  boolean noStepBatching;

  @Option(names = "--timeout-s", description = "per-request timeout in seconds (default: ${DEFAULT-VALUE})")
  long timeoutSeconds = ServeOptions.defaults().requestTimeout().toSeconds();

  @Option(names = "--max-body-mb", description = "largest request body in MiB (default: ${DEFAULT-VALUE})")
  long maxBodyMb = ServeOptions.defaults().maxBodyBytes() >> 20;

  @Option(names = "--grace-s", description = "seconds in-flight requests may run on after SIGTERM "
      + "(default: ${DEFAULT-VALUE})")
  long graceSeconds = ServeOptions.defaults().gracePeriod().toSeconds();

  @Option(names = "--token-env", paramLabel = "VAR", description = "require `Authorization: Bearer <token>`, the "
      + "token read from this environment variable (kept off the command line)")
  String tokenEnv;

  @Option(names = "--access-log", paramLabel = "FILE", description = "JSON access log (default: standard output)")
  Path accessLog;

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Path root = dir != null ? dir : ZooOptions.defaultRoot();
    String token = null;
    if (tokenEnv != null) {
      token = System.getenv(tokenEnv);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("--token-env: environment variable " + tokenEnv + " is not set");
      }
    }
    ServeOptions options = ServeOptions.defaults().withAddress(host, port)
        .withBatching(maxBatchSize, maxQueueDelayUs, maxQueueSize).withStepBatching(!noStepBatching)
        .withLimits(maxBodyMb << 20, ServeOptions.defaults().maxTensorElements(), Duration.ofSeconds(timeoutSeconds))
        .withToken(token).withGracePeriod(Duration.ofSeconds(graceSeconds));
    PrintStream log = accessLog != null ? new PrintStream(Files.newOutputStream(accessLog), true, "UTF-8") : System.out;
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": not a folder of models");
    }
    ModelRepository repository;
    try {
      repository = ModelRepository.open(root, new OrtBackend(runtime.backend()));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    InferenceServer server = new InferenceServer(repository, options, log::println).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.printf("kiln serve: shutting down; in-flight requests have %d s to finish%n", graceSeconds);
      server.shutdown();
    }, "kiln-serve-drain"));
    System.err.printf("kiln serve: %d models from %s (%s) on %s; batching up to %d rows within %d us, step-level "
        + "batching %s%n", repository.models().size(), root, repository.models().stream().map(ServedModel::name)
        .collect(Collectors.joining(", ")), server.url(), maxBatchSize, maxQueueDelayUs, noStepBatching ? "off" : "on");
    server.join();
    return 0;
  }
}
