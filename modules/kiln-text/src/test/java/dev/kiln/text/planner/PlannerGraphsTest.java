package dev.kiln.text.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.inference.ForwardSession;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.SamplerState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PLANNER's graphs: exported models against the graphs they were trained as, the KV cache, the schedule. */
class PlannerGraphsTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));
  private static final PlannerConfig C = new PlannerConfig(40, 10, 3, 6, 16, 2, 2, 16, 2, 2, 5, 4);

  private static Weights randomWeights(Graph g, long seed) {
    Weights w = Weights.initialize(g, seed);
    SplittableRandom rng = new SplittableRandom(seed);
    // Zero-initialised layers would hide wiring mistakes: give every weight a random value.
    w.asMap().values().forEach(t -> {
      for (int i = 0; i < t.size(); i++) {
        t.set(i, t.get(i) + 0.2 * rng.nextGaussian());
      }
    });
    return w;
  }

  private static long[] ids(int n, int bound, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextInt(bound);
    }
    return v;
  }

  private static float[] gaussian(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  @Test
  void cachedDecodingOfTheExportedDecoderGivesTheTrainingGraphsLogitsAtEveryPosition(@TempDir Path dir)
      throws Exception {
    Graph train = PlannerTraining.embedderGraph(C, 1e-5).graph();
    Weights w = randomWeights(train, 3);
    DecoderFiles.write(dir, "decoder", C, w, Map.of());
    Graph whole = new Graph("whole");
    LatentPrefixDecoder dec = new LatentPrefixDecoder(C, PlannerTraining.ACTIVATION);
    Map<String, Value> in = dec.declareInputs(whole);
    whole.output("logits", dec.declare(whole).logits(whole, in.get("latent"), in.get("tokens")));
    int n = 2;
    int len = C.length();
    Tensor latent = Tensor.of(gaussian(n * C.latents() * C.latentDim(), 5), n, C.latents(), C.latentDim());
    long[] tokens = ids(n * len, C.vocab(), 6);
    float[] expected;
    try (ForwardSession s = ForwardSession.compile(whole, CPU, w, "logits")) {
      expected = s.run(Map.of("latent", latent, "tokens", Tensor.ofLongs(tokens, n, len))).get("logits")
          .toFloatArray();
    }
    try (Session prefill = CPU.load(dir.resolve("decoder_prefill.onnx"));
        Session step = CPU.load(dir.resolve("decoder_step.onnx"))) {
      long[] first = {tokens[0], tokens[len]};
      Map<String, Tensor> out = prefill.run(Map.of("latent", latent, "first", Tensor.ofLongs(first, n, 1)));
      for (int t = 0; t < len; t++) {
        float[] logits = out.get("logits").toFloatArray();
        for (int r = 0; r < n; r++) {
          for (int v = 0; v < C.vocab(); v++) {
            assertThat((double) logits[r * C.vocab() + v]).as("row %d position %d token %d", r, t, v)
                .isCloseTo(expected[(r * len + t) * C.vocab() + v], within(1e-4));
          }
        }
        if (t + 1 == len) {
          break;
        }
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("token", Tensor.ofLongs(new long[] {tokens[t + 1], tokens[len + t + 1]}, n, 1));
        for (int l = 0; l < C.layers(); l++) {
          s.put("past_key" + l, out.get("key" + l));
          s.put("past_value" + l, out.get("value" + l));
        }
        out = step.run(s);
        assertThat(out.get("key0").dim(2)).isEqualTo(C.latents() + t + 2);
      }
    }
  }

  @Test
  void theLatentChangesTheDecodingAndTheTextBeforeAPositionAloneDecidesItsLogits() {
    Graph g = new Graph("whole");
    LatentPrefixDecoder dec = new LatentPrefixDecoder(C, PlannerTraining.ACTIVATION);
    Map<String, Value> in = dec.declareInputs(g);
    g.output("logits", dec.declare(g).logits(g, in.get("latent"), in.get("tokens")));
    Weights w = randomWeights(g, 9);
    int len = C.length();
    long[] a = ids(len, C.vocab(), 1);
    long[] b = a.clone();
    b[6] = (b[6] + 1) % C.vocab();
    Tensor z = Tensor.of(gaussian(C.latents() * C.latentDim(), 2), 1, C.latents(), C.latentDim());
    Tensor z2 = Tensor.of(gaussian(C.latents() * C.latentDim(), 3), 1, C.latents(), C.latentDim());
    try (ForwardSession s = ForwardSession.compile(g, CPU, w, "logits")) {
      float[] la = s.run(Map.of("latent", z, "tokens", Tensor.ofLongs(a, 1, len))).get("logits").toFloatArray();
      float[] lb = s.run(Map.of("latent", z, "tokens", Tensor.ofLongs(b, 1, len))).get("logits").toFloatArray();
      float[] lz = s.run(Map.of("latent", z2, "tokens", Tensor.ofLongs(a, 1, len))).get("logits").toFloatArray();
      int v = C.vocab();
      for (int i = 0; i < 6 * v; i++) {
        assertThat(lb[i]).isEqualTo(la[i]);
      }
      assertThat(Math.abs(lb[6 * v] - la[6 * v])).isGreaterThan(1e-6f);
      assertThat(Math.abs(lz[0] - la[0])).isGreaterThan(1e-6f);
    }
  }

  @Test
  void exportedEncoderAndDenoiserMatchTheirTrainingGraphs(@TempDir Path dir) throws Exception {
    Graph emb = PlannerTraining.embedderGraph(C, 1e-5).graph();
    Graph den = PlannerTraining.denoiserGraph(C).graph();
    Weights we = randomWeights(emb, 11);
    Weights wd = randomWeights(den, 12);
    Planner.export(dir, C, dev.kiln.text.bpe.BpeTokenizer.train(List.of("a b c"), 12, PlannerText.specials(4)), we,
        wd, Map.of());
    int n = 3;
    Tensor tokens = Tensor.ofLongs(ids(n * C.length(), C.vocab(), 4), n, C.length());
    try (ForwardSession train = ForwardSession.compile(PlannerTraining.encoderGraph(C), CPU, we, "mean");
        Session served = CPU.load(dir.resolve("encoder.onnx"))) {
      assertClose(served.run(Map.of("tokens", tokens)).get("mean").toFloatArray(),
          train.run(Map.of("tokens", tokens)).get("mean").toFloatArray());
    }
    // The training graph at α = 1, σ = 0 feeds x₀ itself to the network, so its x̂₀ must be the export's.
    Graph g = PlannerTraining.denoiserGraph(C).graph();
    Tensor x = Tensor.of(gaussian(n * C.latents() * C.latentDim(), 8), n, C.latents(), C.latentDim());
    Tensor t = Tensor.of(new float[] {3f, 400f, 998f}, n);
    Tensor label = Tensor.ofLongs(new long[] {0, 2, 4}, n);
    Tensor prefix = Tensor.ofLongs(ids(n * C.prefixLength(), C.vocab(), 9), n, C.prefixLength());
    try (ForwardSession train = ForwardSession.compile(g, CPU, wd, "x0hat");
        Session served = CPU.load(dir.resolve("denoiser.onnx"))) {
      Map<String, Tensor> in = new LinkedHashMap<>(Map.of("x0", x, "eps", x, "t", t, "label", label, "prefix", prefix,
          "alpha", Tensor.of(new float[] {1, 1, 1}, n, 1, 1), "sigma", Tensor.of(new float[3], n, 1, 1)));
      assertClose(served.run(Map.of("x", x, "t", t, "label", label, "prefix", prefix)).get("out").toFloatArray(),
          train.run(in).get("x0hat").toFloatArray());
    }
  }

  @Test
  void adaLnZeroDenoiserStartsAtZeroAndItsLossIsTheAlphaSquaredWeightedError() {
    Graph g = lossGraph();
    Weights w = Weights.initialize(g, 1);
    int n = 2;
    int size = n * C.latents() * C.latentDim();
    float[] x0 = gaussian(size, 3);
    float[] alpha = {0.3f, 0.8f};
    try (ForwardSession s = ForwardSession.compile(g, CPU, w, "loss", "x0hat")) {
      Map<String, Tensor> in = new LinkedHashMap<>();
      in.put("x0", Tensor.of(x0, n, C.latents(), C.latentDim()));
      in.put("eps", Tensor.of(gaussian(size, 4), n, C.latents(), C.latentDim()));
      in.put("alpha", Tensor.of(alpha, n, 1, 1));
      in.put("sigma", Tensor.of(new float[] {0.95f, 0.6f}, n, 1, 1));
      in.put("t", Tensor.of(new float[] {700, 200}, n));
      in.put("label", Tensor.ofLongs(new long[] {1, 4}, n));
      in.put("prefix", Tensor.ofLongs(new long[n * C.prefixLength()], n, C.prefixLength()));
      double expected = 0;
      int per = C.latents() * C.latentDim();
      for (int i = 0; i < size; i++) {
        expected += alpha[i / per] * alpha[i / per] * x0[i] * x0[i];
      }
      Map<String, Tensor> out = s.run(in);
      // x̂₀ = 0 at initialisation (zero output layer), so the loss is mean(α² x₀²).
      assertThat(out.get("x0hat").toFloatArray()).containsOnly(0f);
      assertThat(out.get("loss").get(0)).isCloseTo(expected / size, within(1e-5));
    }
  }

  private static Graph lossGraph() {
    var tg = PlannerTraining.denoiserGraph(C);
    tg.graph().output("loss", tg.loss());
    return tg.graph();
  }

  @Test
  void ddimOnThePlannerScheduleReturnsAnOraclesCleanLatent() {
    double[] target = {0.5, -0.25, 0.9, 0.0, -1.0, 0.3};
    Denoiser oracle = (SamplerState st, double t) -> {
      Tensor out = Tensor.zeros(dev.kiln.graph.DType.FLOAT, st.x().shape());
      for (int i = 0; i < out.size(); i++) {
        out.set(i, target[i % target.length]);
      }
      return out;
    };
    float[] z = Planner.sampler().sample(oracle, new long[] {2, 3, 2}, 20, new SplittableRandom(4)).toFloatArray();
    for (int i = 0; i < z.length; i++) {
      assertThat((double) z[i]).isCloseTo(target[i % target.length], within(1e-5));
    }
  }

  @Test
  void theDiscreteScheduleHasTheCosineAlphaAtItsGridPoints() {
    var schedule = CosineLatentSchedule.config().schedule();
    for (int i : new int[] {0, 10, 499, 998, 999}) {
      double a = CosineLatentSchedule.alpha(CosineLatentSchedule.tau(i));
      assertThat(schedule.alphaCumprod(i)).isCloseTo(a * a, within(1e-9));
    }
    assertThat(CosineLatentSchedule.timestep(CosineLatentSchedule.tau(499))).isCloseTo(499, within(1e-9));
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
    }
  }
}
