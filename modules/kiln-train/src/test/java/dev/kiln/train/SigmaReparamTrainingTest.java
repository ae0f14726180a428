package dev.kiln.train;

import dev.kiln.inference.ParameterFolding;
import dev.kiln.inference.ForwardSession;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Losses;
import dev.kiln.nn.SigmaReparam;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** σReparam: initialisation, the power-iteration state, and folding for export. */
class SigmaReparamTrainingTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));

  private static Graph model() {
    Graph g = new Graph("sr");
    Value x = g.input("x", Shape.batched("N", 6));
    Value h = Activation.RELU.apply(g, Linear.of("a", 6, 16).withSigmaReparam(SigmaReparam.Variant.VISION).apply(g, x));
    Value y = Linear.of("b", 16, 1).withSigmaReparam(SigmaReparam.Variant.SPEECH).apply(g, h);
    g.output("y", y);
    return g;
  }

  /** Largest singular value of M [rows, cols] by a long power iteration in double. */
  private static double topSingularValue(float[] m, int rows, int cols) {
    double[] v = new double[cols];
    java.util.Arrays.fill(v, 1);
    double s = 0;
    for (int it = 0; it < 5000; it++) {
      double[] l = new double[rows];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          l[r] += m[r * cols + c] * v[c];
        }
      }
      double[] next = new double[cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          next[c] += m[r * cols + c] * l[r];
        }
      }
      double n = Math.sqrt(java.util.Arrays.stream(next).map(z -> z * z).sum());
      s = Math.sqrt(n);
      for (int c = 0; c < cols; c++) {
        v[c] = next[c] / n;
      }
    }
    return s;
  }

  @Test
  void visionInitStartsAtTheSpectralNormSoTheEffectiveWeightIsTheRawWeight() {
    Graph g = new Graph("identity");
    Value x = g.input("x", Shape.batched("N", 6));
    g.output("y", Linear.of("a", 6, 16).withoutBias().withSigmaReparam(SigmaReparam.Variant.VISION).apply(g, x));
    Weights w = Weights.initialize(g, 1);
    float[] raw = w.get("a.weight").toFloatArray();
    double sigma = topSingularValue(raw, 6, 16);
    assertThat(w.get("a.gamma").get(0)).isCloseTo(sigma, Offset.offset(1e-4 * sigma));
    float[] eye = new float[36];
    for (int i = 0; i < 6; i++) {
      eye[i * 7] = 1;
    }
    try (ForwardSession s = ForwardSession.compile(g, CPU, w, "y")) {
      float[] effective = s.run(Map.of("x", Tensor.of(eye, 6, 6))).get("y").toFloatArray();
      for (int i = 0; i < raw.length; i++) {
        assertThat((double) effective[i]).as("Ŵ[%d]", i).isCloseTo(raw[i], Offset.offset(1e-4 * Math.abs(raw[i])
            + 1e-7));
      }
    }
  }

  @Test
  void trainingUpdatesThePowerIterationStateAndExportFoldsTheReparametrisation() throws Exception {
    Graph g = model();
    Value target = g.input("target", Shape.batched("N", 1));
    Value loss = Losses.mse(g, g.value("y"), target);
    Weights w = Weights.initialize(g, 2);
    Tensor u0 = w.get("a.sigma_u").copy();
    try (TrainStep step = TrainStep.compile(TrainGraph.of(g, loss), CPU, Map.of("N", 32L), w)) {
      assertThat(step.trainable()).contains("a.weight", "a.gamma").doesNotContain("a.sigma_u");
      Optimizer opt = Optimizer.create(OptimizerConfig.adam(1e-2), step.trainable().stream()
          .map(n -> new Optimizer.Slot(n, w.get(n), step.gradients().get(n), false)).toList());
      for (int s = 1; s <= 50; s++) {
        SplittableRandom rng = Seeds.rng(0, "b", s);
        Tensor x = step.feeds().get("x");
        Tensor t = step.feeds().get("target");
        for (int i = 0; i < 32; i++) {
          double sum = 0;
          for (int j = 0; j < 6; j++) {
            double v = rng.nextGaussian();
            x.set(i * 6 + j, v);
            sum += v;
          }
          t.set(i, Math.tanh(sum));
        }
        step.run();
        opt.step(1e-2, s);
      }
    }
    assertThat(w.get("a.sigma_u").contentEquals(u0)).isFalse();
    Map<String, TensorProto> folded = ParameterFolding.compute(g, List.of("y"), w, CPU);
    ModelProto exported = ModelWriter.of(g).onlyOutputs("y").weights(w.toProtos()).fold(folded).toProto();
    assertThat(exported.getGraph().getInitializerList()).extracting(TensorProto::getName)
        .noneMatch(n -> n.contains("gamma") || n.contains("sigma_u"));
    assertThat(exported.getGraph().getInputList()).extracting(v -> v.getName()).containsExactly("x");
    Tensor x = Tensor.of(new float[] {0.1f, -0.2f, 0.3f, 1, -1, 0.5f, 2, 0, 0, 0, 0, -2}, 2, 6);
    try (ForwardSession training = ForwardSession.compile(g, CPU, w, "y"); Session served = CPU.load(exported)) {
      float[] a = training.run(Map.of("x", x)).get("y").toFloatArray();
      float[] b = served.run(Map.of("x", x)).get("y").toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertThat((double) b[i]).isCloseTo(a[i], Offset.offset(1e-5));
      }
    }
  }
}
