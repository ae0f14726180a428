package dev.kiln.conformance.gradients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.autodiff.Autodiff;
import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Linear;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients of gradients. Kiln's rules emit ordinary graph operators, so a gradient graph can be
 * differentiated again by the same rules; each case here outputs a first gradient ∇ₓf (built by
 * {@link Autodiff#gradients} inside the case) and the checker compares the second derivative,
 * a Hessian–vector product {@code ∂⟨∇ₓf, R⟩/∂(x, θ)}, with central finite differences of that first
 * gradient. The discriminator case is the R1 penalty's shape: strided convolutions (whose input
 * gradient is a transposed convolution, differentiated in turn), a camera-conditioned linear head and
 * softplus.
 */
class SecondOrderGradientsTest {

  private static final OrtBackend CPU = new OrtBackend(
      new BackendOptions(Device.CPU, 1, 1, BackendOptions.Optimization.BASIC, 0));

  /** The case whose output is ∇ₓ sum(f(x)) for the input {@code x} that {@code f} declares first. */
  private static GradientCase inputGradient(String name, Set<String> ops, DType precision,
      Function<CaseInputs, Value[]> f) {
    return new GradientCase("second order: " + name, ops, precision, in -> {
      Value[] xy = f.apply(in);
      Graph g = in.g();
      return Autodiff.gradients(g.sumAll(xy[1]), List.of(xy[0])).get(xy[0]);
    });
  }

  private static List<GradientCase> cases() {
    return List.of(
        inputGradient("Sigmoid", Set.of("Sigmoid"), DType.DOUBLE, in -> {
          Value x = in.normal("x", 3, 4);
          return new Value[] {x, in.g().sigmoid(x)};
        }),
        inputGradient("Tanh", Set.of("Tanh"), DType.DOUBLE, in -> {
          Value x = in.normal("x", 3, 4);
          return new Value[] {x, in.g().tanh(x)};
        }),
        inputGradient("Softplus of a product", Set.of("Softplus", "Mul"), DType.FLOAT, in -> {
          Value x = in.normal("x", 3, 4);
          return new Value[] {x, in.g().softplus(in.g().mul(x, in.normal("a", 3, 4)))};
        }),
        inputGradient("Linear then Tanh (MatMul, Add)", Set.of("MatMul", "Tanh"), DType.DOUBLE, in -> {
          Value x = in.normal("x", 2, 5);
          return new Value[] {x, in.g().tanh(Linear.of("lin", 5, 3).apply(in.g(), x))};
        }),
        // Leaky ReLU's gradient is piecewise constant, so finite differences of it jump wherever a
        // perturbation flips a unit; its points are placed away from the kink.
        inputGradient("LeakyRelu away from the kink", Set.of("LeakyRelu", "Mul"), DType.FLOAT, in -> {
          Value x = in.given("x", new double[] {-1.5, -0.7, 0.6, 1.2, -0.9, 2.0}, 2, 3);
          Value scaled = in.g().mul(x, in.uniform("a", 0.5, 1.5, 2, 3));
          return new Value[] {x, in.g().mul(in.g().leakyRelu(scaled, 0.2), scaled)};
        }),
        // The R1 penalty's shape with a smooth activation, for the same reason.
        inputGradient("camera-conditioned conv discriminator (R1)", Set.of("Conv", "ConvTranspose", "MatMul", "Softplus"),
            DType.FLOAT, in -> {
              Graph g = in.g();
              Value image = in.normal("image", 2, 3, 8, 8);
              Value camera = in.fixedNormal("camera", 2, 4);
              Value h = g.tanh(Conv2d.of("c0", 3, 3, 3, 1, 1).apply(g, image));
              h = g.tanh(Conv2d.of("c1", 3, 4, 3, 2, 1).apply(g, h));
              h = g.tanh(Conv2d.of("c2", 4, 4, 3, 2, 1).apply(g, h));
              Value features = g.reshape(h, 2, 16);
              Value embedded = Linear.of("cam", 4, 16).apply(g, camera);
              Value logit = g.reduceSum(g.mul(Linear.of("head", 16, 16).apply(g, features), embedded), false, 1);
              return new Value[] {image, g.softplus(g.neg(logit))};
            }));
  }

  @Test
  void gradientsOfGradientsMatchFiniteDifferences() {
    for (GradientCase c : cases()) {
      GradientCheck.Result r = GradientCheck.run(c, GradientRegistry.standard(), CPU, 11);
      assertThat(r.passed()).as(r.report()).isTrue();
      assertThat(r.checked()).as(c.name()).isGreaterThan(0);
    }
  }

  @Test
  void ruleThatIsRightOnlyToFirstOrderIsRejected() {
    // σ' = y(1−y) with y cut from the graph: first derivatives stay exact, second ones lose σ''.
    GradientRegistry firstOrderOnly = GradientRegistry.standard().with("Sigmoid", c -> {
      Value y = c.g().stopGradient(c.out(0));
      return Arrays.asList(c.g().mul(c.dy(), c.g().mul(y, c.g().sub(1.0, y))));
    });
    GradientCase sigmoid = GradientCase.of("Sigmoid", "[3,4]", in -> in.g().sigmoid(in.normal("x", 3, 4)));
    assertThat(GradientCheck.run(sigmoid, firstOrderOnly, CPU, 3).passed()).isTrue();
    GradientCase second = new GradientCase("second order: Sigmoid", Set.of("Sigmoid"), DType.DOUBLE, in -> {
      Value x = in.normal("x", 3, 4);
      return Autodiff.gradients(in.g().sumAll(in.g().sigmoid(x)), List.of(x), firstOrderOnly).get(x);
    });
    assertThat(GradientCheck.run(second, firstOrderOnly, CPU, 3).passed()).isFalse();
  }
}
