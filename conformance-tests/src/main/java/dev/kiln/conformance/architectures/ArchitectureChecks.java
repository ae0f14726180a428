package dev.kiln.conformance.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.conformance.gradients.CaseInputs;
import dev.kiln.conformance.gradients.GradientCase;
import dev.kiln.conformance.gradients.GradientCheck;
import dev.kiln.graph.DType;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.KilnRuntimeException;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.Configs;
import dev.kiln.spi.ModelInput;
import dev.kiln.inference.ForwardSession;
import dev.kiln.inference.ParameterFolding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a correct architecture does, as checks that throw an {@link AssertionError} saying what is
 * wrong. {@link ArchitectureContract} runs them for one provider; {@link ArchitectureSuite} for every
 * provider on the module path.
 */
public final class ArchitectureChecks {

  private ArchitectureChecks() {}

  /** The architecture a provider makes from a config object of its config type. */
  public static <C> Architecture create(ArchitectureProvider<C> provider, Object config) {
    return provider.create(provider.configType().cast(config));
  }

  /** The config, written to JSON and read back, is equal to itself. */
  public static void configRoundTripsThroughJson(ArchitectureProvider<?> provider, Object config) {
    Object back = Configs.read(Configs.toTree(config), provider.configType(), provider.name() + " config");
    assertThat(back).as("%s: config after a JSON round trip (%s)", provider.name(), Configs.toTree(config))
        .isEqualTo(config);
  }

  /** Building twice and initialising with the same seed gives bit-identical weights; another seed differs. */
  public static void initialisationIsDeterministic(ArchitectureProvider<?> provider, Object config) {
    Weights a = Weights.initialize(build(provider, config, DType.FLOAT).graph(), 7);
    Weights b = Weights.initialize(build(provider, config, DType.FLOAT).graph(), 7);
    Weights c = Weights.initialize(build(provider, config, DType.FLOAT).graph(), 8);
    assertThat(a.contentEquals(b)).as("%s: same seed gives identical weights", provider.name()).isTrue();
    if (!a.asMap().isEmpty()) {
      assertThat(a.contentEquals(c)).as("%s: a different seed gives different weights", provider.name()).isFalse();
    }
  }

  /**
   * Gradients of the outputs (projected to a scalar) with respect to every parameter and float input
   * match central finite differences: in float64 where ONNX Runtime has the kernels, else float32.
   */
  public static void gradientsMatchFiniteDifferences(ArchitectureProvider<?> provider, Object config,
      OrtBackend backend) {
    GradientCheck.Result r;
    try {
      r = GradientCheck.run(gradientCase(provider, config, DType.DOUBLE), GradientRegistry.standard(), backend, 5, 6);
    } catch (KilnRuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("NOT_IMPLEMENTED")) {
        throw e;
      }
      r = GradientCheck.run(gradientCase(provider, config, DType.FLOAT), GradientRegistry.standard(), backend, 5, 6);
    }
    assertThat(r.passed()).as("%s: %s", provider.name(), r.report()).isTrue();
  }

  /**
   * The exported model (parameters folded to initializers) computes what the training graph computes, to
   * 1e-5, at batch sizes 1 and 3 (and at two sizes of every other symbolic dimension).
   */
  public static void exportMatchesTrainingGraph(ArchitectureProvider<?> provider, Object config, OrtBackend backend)
      throws IOException {
    Built b = build(provider, config, DType.FLOAT);
    Weights w = Weights.initialize(b.graph(), 3);
    perturb(w);
    String[] outs = b.outputs().toArray(new String[0]);
    byte[] exported = exportBytes(b, w, backend);
    for (long batch : new long[] {1, 3}) {
      Map<String, Tensor> in = sampleInputs(b.architecture(), batch, 11 + batch);
      try (ForwardSession training = ForwardSession.compile(b.graph(), backend, w, outs);
          Session served = backend.load(exported)) {
        Map<String, Tensor> a = training.run(in);
        Map<String, Tensor> e = served.run(in);
        for (String o : outs) {
          float[] x = a.get(o).toFloatArray();
          float[] y = e.get(o).toFloatArray();
          assertThat(y).as("%s: output %s size (batch %d)", provider.name(), o, batch).hasSameSizeAs(x);
          double scale = 1;
          for (float v : x) {
            scale = Math.max(scale, Math.abs(v));
          }
          for (int i = 0; i < x.length; i++) {
            assertThat((double) Math.abs(x[i] - y[i])).as("%s: output %s[%d] differs between training graph and export"
                + " (batch %d)", provider.name(), o, i, batch).isLessThanOrEqualTo(1e-5 * scale);
          }
        }
      }
    }
  }

  /** The exported model passes {@code onnx.checker.check_model(full_check=True)}; skipped without python3-onnx. */
  public static void exportPassesOnnxChecker(ArchitectureProvider<?> provider, Object config, OrtBackend backend)
      throws IOException, InterruptedException {
    org.junit.jupiter.api.Assumptions.assumeTrue(OnnxChecker.available(), "python3 with the onnx package is absent");
    Built b = build(provider, config, DType.FLOAT);
    Weights w = Weights.initialize(b.graph(), 3);
    Path file = Files.createTempFile("kiln-tck-" + provider.name(), ".onnx");
    try {
      Files.write(file, exportBytes(b, w, backend));
      String problem = OnnxChecker.check(file);
      assertThat(problem).as("%s: onnx.checker on the exported model", provider.name()).isNull();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A graph with the architecture built into it. */
  public record Built(Architecture architecture, Graph graph, List<String> outputs) {}

  static Built build(ArchitectureProvider<?> provider, Object config, DType floatType) {
    Architecture a = create(provider, config);
    Graph g = new Graph(provider.name(), floatType);
    Map<String, Value> out = a.build(g, a.declareInputs(g));
    assertThat(out.keySet()).as("%s: outputs returned by build()", provider.name())
        .containsExactlyInAnyOrderElementsOf(a.outputs());
    out.forEach(g::output);
    return new Built(a, g, a.outputs());
  }

  private static byte[] exportBytes(Built b, Weights w, OrtBackend backend) {
    return ModelWriter.of(b.graph()).onlyOutputs(b.outputs().toArray(new String[0])).weights(w.toProtos())
        .fold(ParameterFolding.compute(b.graph(), b.outputs(), w, backend)).toBytes();
  }

  /** Moves the weights off their initial values (zero-initialised layers would hide mistakes). */
  private static void perturb(Weights w) {
    SplittableRandom rng = new SplittableRandom(99);
    for (Tensor t : w.asMap().values()) {
      if (t.dtype().isFloating()) {
        for (int i = 0; i < t.size(); i++) {
          t.set(i, t.get(i) + 0.05 * rng.nextGaussian());
        }
      }
    }
  }

  /**
   * Sizes of the inputs' symbols: the batch {@code N} is {@code batch}; every other symbol (a set's
   * number of pairs, say) gets {@code batch + 1}, {@code batch + 2}, … in order of appearance, so the
   * two parity runs also differ in those sizes and the sizes differ from each other.
   */
  static Map<String, Long> symbolSizes(Architecture a, long batch) {
    Map<String, Long> sizes = new LinkedHashMap<>();
    sizes.put("N", batch);
    for (ModelInput in : a.inputs()) {
      for (Dim d : in.shape().dims()) {
        if (!d.isStatic() && !sizes.containsKey(d.symbol())) {
          sizes.put(d.symbol(), batch + sizes.size());
        }
      }
    }
    return sizes;
  }

  static Map<String, Tensor> sampleInputs(Architecture a, long batch, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    Map<String, Long> sizes = symbolSizes(a, batch);
    for (ModelInput in : a.inputs()) {
      long[] shape = in.shape().resolve(sizes);
      Tensor t = Tensor.zeros(in.dtype(), shape);
      for (int i = 0; i < t.size(); i++) {
        t.set(i, in.dtype().isFloating() ? in.low() + (in.high() - in.low()) * rng.nextDouble()
            : in.low() + rng.nextLong(Math.max(1, (long) (in.high() - in.low()))));
      }
      m.put(in.name(), t);
    }
    return m;
  }

  private static GradientCase gradientCase(ArchitectureProvider<?> provider, Object config, DType precision) {
    return new GradientCase(provider.name() + " (" + precision.name().toLowerCase(java.util.Locale.ROOT) + ")",
        Set.of(), precision, (CaseInputs in) -> {
          Architecture a = create(provider, config);
          Map<String, Value> inputs = new LinkedHashMap<>();
          for (ModelInput mi : a.inputs()) {
            long[] shape = staticShape(mi.shape());
            inputs.put(mi.name(), mi.dtype().isFloating() ? in.uniform(mi.name(), mi.low(), mi.high(), shape)
                : in.indices(mi.name(), Math.max(1, (long) mi.high()), shape));
          }
          Map<String, Value> outs = a.build(in.g(), inputs);
          List<Value> flat = new ArrayList<>();
          for (String o : a.outputs()) {
            Value v = outs.get(o);
            if (v.dtype().isFloating()) {
              flat.add(in.g().reshape(v, -1));
            }
          }
          return flat.size() == 1 ? flat.get(0) : in.g().concat(0, flat);
        });
  }

  private static long[] staticShape(Shape s) {
    long[] out = new long[s.rank()];
    for (int i = 0; i < out.length; i++) {
      Dim d = s.dim(i);
      out[i] = d.isStatic() ? d.size() : 2 * d.coefficient();
    }
    return out;
  }

  /** Runs Debian's onnx checker in a subprocess. */
  static final class OnnxChecker {
    private static Boolean available;

    static synchronized boolean available() {
      if (available == null) {
        try {
          Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx").redirectErrorStream(true).start();
          available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
          available = false;
        }
      }
      return available;
    }

    /** Null if the model passes, else the checker's message. */
    static String check(Path model) throws IOException, InterruptedException {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c",
          "import onnx,sys; onnx.checker.check_model(sys.argv[1], full_check=True)", model.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(120, TimeUnit.SECONDS);
      return p.exitValue() == 0 ? null : out.strip();
    }
  }
}
