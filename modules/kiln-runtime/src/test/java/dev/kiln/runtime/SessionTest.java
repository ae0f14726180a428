package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.graph.onnx.ModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {

  @TempDir
  Path dir;

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));

  @Test
  void writeReadRunRoundTripGivesIdenticalOutputsAndKeepsMetadata() throws Exception {
    Graph g = MlpForwardTest.mlp();
    Weights w = Weights.initialize(g, 9);
    Path file = dir.resolve("mlp.onnx");
    ModelWriter.of(g).weights(w.toProtos()).metadata("recipe", "{\"model\":\"mlp3\"}").metadata("seed", "9")
        .externalDataAbove(256).write(file);
    assertThat(dir.resolve("mlp.onnx.data")).exists();
    ModelReader.LoadedModel back = ModelReader.read(file);
    assertThat(back.metadata()).containsEntry("recipe", "{\"model\":\"mlp3\"}").containsEntry("seed", "9");
    Tensor x = Tensor.of(new float[] {1, -2, 3, -4, 5, -6, 7, -8, 0.5f, 0.25f, -1, 2, 0, 0, 3, 1}, 2, 8);
    byte[] original = ModelWriter.of(g).weights(w.toProtos()).toBytes();
    byte[] rewritten = ModelWriter.of(back.graph()).toBytes();
    TestModels.dump("mlp3-reread", ModelWriter.of(back.graph()).toProto());
    try (Session a = CPU.load(original); Session b = CPU.load(file); Session c = CPU.load(rewritten)) {
      Tensor ya = a.run(Map.of("x", x)).get("y");
      assertThat(b.run(Map.of("x", x)).get("y").contentEquals(ya)).isTrue();
      assertThat(c.run(Map.of("x", x)).get("y").contentEquals(ya)).isTrue();
    }
  }

  @Test
  void boundInputsAreReadInPlaceAndPinnedOutputsWrittenInPlace() {
    Graph g = new Graph("double");
    Value x = g.input("x", Shape.of(3));
    g.output("y", g.mul(x, 2.0));
    Tensor in = Tensor.of(new float[] {1, 2, 3}, 3);
    Tensor out = Tensor.zeros(dev.kiln.graph.DType.FLOAT, 3);
    try (Session s = CPU.load(ModelWriter.of(g).toBytes());
        Session.Binding b = s.bind(Map.of("x", in), Map.of("y", out))) {
      b.run();
      assertThat(out.toFloatArray()).containsExactly(2, 4, 6);
      in.floats().put(0, 10f);
      b.run();
      assertThat(out.toFloatArray()).containsExactly(20, 4, 6);
    }
  }

  @Test
  void wrongInputsGetClearErrors() {
    Graph g = MlpForwardTest.mlp();
    try (Session s = CPU.load(ModelWriter.of(g).weights(Weights.initialize(g, 1).toProtos()).toBytes())) {
      assertThatThrownBy(() -> s.run(Map.of())).hasMessageContaining("missing input `x`")
          .hasMessageContaining("x:float[-1, 8]");
      assertThatThrownBy(() -> s.run(Map.of("x", Tensor.ofDoubles(new double[8], 1, 8))))
          .hasMessageContaining("input `x` must be FLOAT");
    }
  }

  @Test
  void autoDeviceFallsBackToCpuAndSaysWhy() {
    try (Session s = new OrtBackend(BackendOptions.defaults()).load(
        ModelWriter.of(MlpForwardTest.mlp()).weights(Weights.initialize(MlpForwardTest.mlp(), 1).toProtos())
            .toBytes())) {
      if (s.device() == Device.CPU) {
        assertThat(OrtBackend.cudaFailure()).isNotBlank();
      }
    }
  }

  @Test
  void declaredInputTypesAreReportedAndClosingTwiceIsHarmless() {
    Graph g = MlpForwardTest.mlp();
    Session s = CPU.load(ModelWriter.of(g).weights(Weights.initialize(g, 1).toProtos()).toBytes());
    assertThat(s.inputType("x")).isEqualTo(dev.kiln.graph.DType.FLOAT);
    assertThatThrownBy(() -> s.inputType("y")).hasMessageContaining("no input `y`");
    s.close();
    assertThatCode(s::close).doesNotThrowAnyException();
  }

  @Test
  void missingModelFileIsNamed() {
    assertThatThrownBy(() -> CPU.load(dir.resolve("nope.onnx"))).hasMessageContaining("nope.onnx");
  }

  @Test
  void repeatedRunsLeaveNativeMemoryFlat() throws Exception {
    Path status = Path.of("/proc/self/status");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(status), "needs /proc to read resident memory");
    Graph g = MlpForwardTest.mlp();
    Tensor x = Tensor.of(new float[64 * 8], 64, 8);
    try (Session s = CPU.load(ModelWriter.of(g).weights(Weights.initialize(g, 1).toProtos()).toBytes())) {
      // Phase 0 warms up ONNX Runtime's arena and the JVM heap; phases 1-3 are measured.
      long[] rss = new long[4];
      for (int phase = 0; phase < rss.length; phase++) {
        for (int i = 0; i < 10_000; i++) {
          s.run(Map.of("x", x));
        }
        System.gc();
        rss[phase] = residentKb(status);
      }
      System.out.println("resident KiB after each 10k runs: " + java.util.Arrays.toString(rss));
      // Leaking one output (1 KiB of data plus its OrtValue) per run would add > 30 MB over 30k runs;
      // the allowance covers heap and allocator jitter (±7 MB measured).
      assertThat(rss[3] - rss[0]).as("resident KiB growth over 30k runs").isLessThan(12 * 1024);
    }
  }

  private static long residentKb(Path status) throws Exception {
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in " + status);
  }
}
