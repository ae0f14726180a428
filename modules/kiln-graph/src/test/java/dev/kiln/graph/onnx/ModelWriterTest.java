package dev.kiln.graph.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Kiln;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWriterTest {

  @TempDir
  Path dir;

  private static Graph linear() {
    Graph g = new Graph("linear");
    Value x = g.input("x", Shape.batched("N", 300));
    Value w = g.parameter("w", Shape.of(300, 200), Init.xavierUniform());
    Value unused = g.parameter("unused", Shape.of(3), Init.zeros());
    g.output("y", g.relu(g.matMul(x, w)));
    g.output("dead_end_free", g.add(unused, 1.0));
    return g;
  }

  @Test
  void parametersAreInputsUnlessWeightsAreGiven() {
    Graph g = linear();
    ModelProto training = ModelWriter.of(g).toProto();
    assertThat(training.getGraph().getInputList()).extracting(v -> v.getName()).containsExactly("x", "w", "unused");
    assertThat(training.getOpsetImport(0).getVersion()).isEqualTo(Kiln.OPSET);
    TensorProto w = TensorProtos.of(DType.FLOAT, new long[] {300, 200}, new double[300 * 200]);
    ModelProto exported = ModelWriter.of(g).weights(Map.of("w", w)).toProto();
    assertThat(exported.getGraph().getInputList()).extracting(v -> v.getName()).containsExactly("x", "unused");
    assertThat(exported.getGraph().getInitializerList()).extracting(TensorProto::getName).contains("w");
  }

  @Test
  void writeReadKeepsMetadataNamesAndExternalData() throws Exception {
    Graph g = linear();
    double[] data = new double[300 * 200];
    for (int i = 0; i < data.length; i++) {
      data[i] = Math.sin(i);
    }
    TensorProto w = TensorProtos.of(DType.FLOAT, new long[] {300, 200}, data);
    Path file = dir.resolve("m.onnx");
    ModelWriter.of(g).weights(Map.of("w", w)).metadata("recipe", "{\"seed\":3}").metadata("seed", "3")
        .externalDataAbove(1024).write(file);
    assertThat(dir.resolve("m.onnx.data")).exists();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("m.onnx",
        "m.onnx.data");
    ModelReader.LoadedModel back = ModelReader.read(file);
    assertThat(back.metadata()).containsEntry("recipe", "{\"seed\":3}").containsEntry("seed", "3")
        .containsEntry("kiln_version", Kiln.version());
    assertThat(TensorProtos.toFloats(back.initializers().get("w"))).isEqualTo(TensorProtos.toFloats(w));
    assertThat(back.graph().outputs()).extracting(Value::name).containsExactly("y", "dead_end_free");
    assertThat(back.graph().value("y").shape()).hasToString("[N,200]");
  }

  @Test
  void badWeightShapeIsRejectedWithTheParameterName() {
    TensorProto wrong = TensorProtos.of(DType.FLOAT, new long[] {2, 2}, 1, 2, 3, 4);
    assertThatThrownBy(() -> ModelWriter.of(linear()).weights(Map.of("w", wrong)).toProto())
        .hasMessageContaining("weight for parameter `w`").hasMessageContaining("expected float[300,200]");
  }

  @Test
  void readingGarbageNamesTheFile() throws Exception {
    Path bad = dir.resolve("bad.onnx");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> ModelReader.read(bad)).hasMessageContaining(bad.toString());
    assertThatThrownBy(() -> ModelReader.read(dir.resolve("missing.onnx"))).hasMessageContaining("missing.onnx");
  }
}
