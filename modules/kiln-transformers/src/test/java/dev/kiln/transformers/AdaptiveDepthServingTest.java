package dev.kiln.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.kiln.graph.Graph;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.inference.ForwardSession;
import dev.kiln.transformers.model.HyperUVitConfig;
import dev.kiln.transformers.model.HyperUtConfig;
import dev.kiln.transformers.model.UniversalTransformer;
import dev.kiln.transformers.serving.AdaptiveDepthRunner;
import dev.kiln.transformers.serving.LoopModel;
import dev.kiln.transformers.serving.ServingExport;
import dev.kiln.transformers.serving.ServingGraphs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive-depth serving paths (Java step loop and ONNX Loop) compute what the unrolled
 * training graph computes, with examples halting at different steps.
 */
class AdaptiveDepthServingTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final int BATCH = 24;

  @TempDir
  Path dir;

  /** A small Hyper-UT; with {@link #weights} its examples stop at different depths. */
  private static UniversalTransformer hyperUt(int maxSteps) {
    return new HyperUtConfig(8, 8, 8, 16, 2, 32, maxSteps, 0.01, 1.0, 4, 2, 8, null, null, null, null).architecture();
  }

  private static Weights weights(UniversalTransformer arch) {
    Graph g = ServingGraphs.forward(arch);
    Weights w = Weights.initialize(g, 5);
    SplittableRandom rng = new SplittableRandom(8);
    for (Map.Entry<String, Tensor> e : w.asMap().entrySet()) {
      // Large token embeddings and a small halting direction make p depend on the tokens.
      boolean halting = e.getKey().equals("halt.proj.weight");
      boolean haltingBias = e.getKey().equals("halt.proj.bias");
      double scale = e.getKey().equals("embed.token") ? 10 : 1;
      for (int i = 0; i < e.getValue().size(); i++) {
        double noise = 0.3 * scale * rng.nextGaussian();
        e.getValue().set(i, halting ? noise / 4 : haltingBias ? e.getValue().get(i) : e.getValue().get(i) + noise);
      }
    }
    return w;
  }

  private static Map<String, Tensor> tokens(int n, int length, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] t = new long[n * length];
    for (int i = 0; i < t.length; i++) {
      t[i] = rng.nextInt(length);
    }
    return Map.of("tokens", Tensor.ofLongs(t, n, length));
  }

  private static Map<String, Tensor> unrolled(UniversalTransformer arch, Weights w, Map<String, Tensor> in) {
    try (ForwardSession s = ForwardSession.compile(ServingGraphs.forward(arch), CPU, w, "logits", "ponder",
        "steps")) {
      return s.run(in);
    }
  }

  private static void assertClose(Tensor actual, Tensor expected, String what) {
    assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("%s[%d]", what, i).isCloseTo(expected.get(i), within(1e-5));
    }
  }

  @Test
  void javaStepLoopMatchesTheUnrolledTrainingGraph() {
    UniversalTransformer arch = hyperUt(5);
    Weights w = weights(arch);
    Map<String, Tensor> in = tokens(BATCH, 8, 1);
    Map<String, Tensor> expected = unrolled(arch, w, in);
    try (AdaptiveDepthRunner runner = AdaptiveDepthRunner.of(CPU, arch, w)) {
      AdaptiveDepthRunner.Result r = runner.run(in);
      assertThat(new HashSet<>(Arrays.stream(r.steps()).boxed().toList())).as("depths %s", Arrays.toString(r.steps()))
          .hasSizeGreaterThan(2);
      assertClose(r.asOutputs().get("steps"), expected.get("steps"), "steps");
      assertClose(r.logits(), expected.get("logits"), "logits");
      assertClose(r.asOutputs().get("ponder"), expected.get("ponder"), "ponder");
      assertThat(r.stepCalls()).isEqualTo(Arrays.stream(r.steps()).max().orElseThrow());
    }
  }

  @Test
  void eachExampleAloneGetsTheDepthItGetsInABatch() {
    UniversalTransformer arch = hyperUt(5);
    Weights w = weights(arch);
    Map<String, Tensor> in = tokens(BATCH, 8, 2);
    try (AdaptiveDepthRunner runner = AdaptiveDepthRunner.of(CPU, arch, w)) {
      AdaptiveDepthRunner.Result batch = runner.run(in);
      long[] t = in.get("tokens").toLongArray();
      for (int i = 0; i < BATCH; i++) {
        AdaptiveDepthRunner.Result one = runner.run(Map.of("tokens",
            Tensor.ofLongs(Arrays.copyOfRange(t, i * 8, i * 8 + 8), 1, 8)));
        assertThat(one.steps()[0]).isEqualTo(batch.steps()[i]);
        assertThat(one.stepCalls()).isEqualTo(one.steps()[0]);
        for (int k = 0; k < 8; k++) {
          assertThat(one.logits().get(k)).isCloseTo(batch.logits().get(i * 8 + k), within(1e-5));
        }
      }
    }
  }

  @Test
  void runningBeyondTheTrainingDepthMatchesADeeperUnrolledGraph() {
    UniversalTransformer arch = hyperUt(3);
    Weights w = weights(arch);
    Map<String, Tensor> in = tokens(BATCH, 8, 3);
    Map<String, Tensor> expected = unrolled(arch.withMaxSteps(7), w, in);
    try (AdaptiveDepthRunner runner = AdaptiveDepthRunner.of(CPU, arch, w)) {
      AdaptiveDepthRunner.Result r = runner.run(in, 7);
      assertClose(r.asOutputs().get("steps"), expected.get("steps"), "steps");
      assertClose(r.logits(), expected.get("logits"), "logits");
    }
  }

  @Test
  void onnxLoopModelMatchesTheUnrolledTrainingGraph() {
    UniversalTransformer arch = hyperUt(5);
    Weights w = weights(arch);
    Map<String, Tensor> in = tokens(BATCH, 8, 4);
    Map<String, Tensor> expected = unrolled(arch, w, in);
    try (Session loop = CPU.load(LoopModel.build(arch, w, CPU))) {
      Map<String, Tensor> out = loop.run(in);
      assertClose(out.get("steps"), expected.get("steps"), "steps");
      assertClose(out.get("logits"), expected.get("logits"), "logits");
      assertClose(out.get("ponder"), expected.get("ponder"), "ponder");
    }
  }

  @Test
  void exportedUnrolledHyperUtStoresEachWeightBankOnceAndMatchesTheTrainingGraph() {
    UniversalTransformer arch = hyperUt(5);
    Weights w = weights(arch);
    ModelProto model = ServingGraphs.export(ServingGraphs.forward(arch), w, CPU, Map.of());
    long bankSize = 4L * 16 * 32;
    long banks = model.getGraph().getInitializerList().stream()
        .filter(t -> t.getDimsList().stream().reduce(1L, (a, b) -> a * b) == bankSize).count();
    assertThat(banks).as("initializers holding a whole weight bank, over 5 unrolled steps").isEqualTo(2);
    Map<String, Tensor> in = tokens(BATCH, 8, 5);
    Map<String, Tensor> expected = unrolled(arch, w, in);
    try (Session exported = CPU.load(model)) {
      Map<String, Tensor> out = exported.run(in);
      assertClose(out.get("logits"), expected.get("logits"), "logits");
      assertClose(out.get("steps"), expected.get("steps"), "steps");
      assertClose(out.get("ponder"), expected.get("ponder"), "ponder");
    }
  }

  @Test
  void exportedFilesServeTheSameAsTheInMemoryRunner() throws Exception {
    UniversalTransformer arch = new HyperUVitConfig(8, 4, 1, 3, 8, 2, 16, 4, 0.01, 1.0, 3, 1, 4, null, null, null)
        .architecture();
    Weights w = weights(arch);
    ServingExport.write(dir, arch, w, CPU, Map.of("recipe", "test"));
    SplittableRandom rng = new SplittableRandom(6);
    float[] x = new float[5 * 64];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * rng.nextDouble() - 1);
    }
    Map<String, Tensor> in = Map.of("x", Tensor.of(x, 5, 64));
    Map<String, Tensor> expected = unrolled(arch, w, in);
    try (AdaptiveDepthRunner runner = AdaptiveDepthRunner.load(CPU, dir);
        Session full = CPU.load(dir.resolve(ServingExport.UNROLLED));
        Session loop = CPU.load(dir.resolve(ServingExport.LOOP))) {
      assertClose(runner.run(in).logits(), expected.get("logits"), "runner logits");
      assertClose(full.run(in).get("logits"), expected.get("logits"), "unrolled.onnx logits");
      assertClose(loop.run(in).get("logits"), expected.get("logits"), "loop.onnx logits");
    }
  }
}
