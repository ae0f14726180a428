package dev.kiln.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Providers;
import dev.kiln.spi.SamplerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The server's request parsing, fuzzed: the body of {@code infer} (JSON, and the binary tensor data
 * extension with its header length) and of {@code generate}, against the zoo's quickstart model. The only
 * acceptable outcomes are a parsed request or an {@link ApiException} (a 4xx naming the field); anything
 * else would reach the client as a 500. It sits in the server's package to reach its parsers. The committed
 * corpus is in src/test/resources/dev/kiln/serve/RequestFuzzTestInputs; {@code scripts/fuzz.sh} fuzzes longer.
 */
class RequestFuzzTest {

  /** How long {@code scripts/fuzz.sh} fuzzes each request target. */
  static final String FUZZ_TIME = "1m";

  private static final ServedModel MODEL = open();
  private static final Map<String, SamplerProvider<?>> SAMPLERS = Providers.load(SamplerProvider.class);
  private static final long MAX_ELEMENTS = 1 << 16;

  private static ServedModel open() {
    try {
      return ServedModel.open("quickstart-8gaussians", Path.of("..", "model-zoo", "quickstart-8gaussians",
          "model.onnx"), new OrtBackend(BackendOptions.cpu(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = FUZZ_TIME)
  void infer(byte[] body) {
    try {
      InferCodec.parse(body, null, MODEL, MAX_ELEMENTS);
    } catch (ApiException documented) {
      // a 4xx naming what is wrong
    }
  }

  /** The first two bytes give the JSON header's length; the rest is the header and the raw tensor bytes. */
  @FuzzTest(maxDuration = FUZZ_TIME)
  void binaryInfer(byte[] data) {
    if (data.length < 2) {
      return;
    }
    int headerLength = ((data[0] & 0xff) << 8 | (data[1] & 0xff)) - 8;
    byte[] body = java.util.Arrays.copyOfRange(data, 2, data.length);
    try {
      InferCodec.parse(body, headerLength, MODEL, MAX_ELEMENTS);
    } catch (ApiException documented) {
      // a 4xx naming what is wrong
    }
  }

  @FuzzTest(maxDuration = FUZZ_TIME)
  void generate(byte[] body) {
    try {
      Generation.parse(InferCodec.object(body, "the request body"), MODEL, SAMPLERS, ServeOptions.defaults());
    } catch (ApiException documented) {
      // a 4xx naming what is wrong
    }
  }
}
