package dev.kiln.diffusion.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootSamplerTest {

  private record Call(Tensor x, double t) {}

  @Test
  void oneStudentCallAtTheCleanEndOnTheNoiseDdimStartsFrom() {
    List<Call> calls = new ArrayList<>();
    Denoiser student = (state, t) -> {
      Tensor x = state.x();
      calls.add(new Call(x.copy(), t));
      Tensor out = x.copy();
      for (int i = 0; i < out.size(); i++) {
        out.set(i, 2 * x.get(i));
      }
      return out;
    };
    BootSampler sampler = new BootSampler(BootSamplerConfig.defaults());
    Tensor out = sampler.sample(student, new long[] {5, 2}, 1, new SplittableRandom(9));
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).t()).isEqualTo(SignalGrid.CLEAN_TIMESTEP);
    assertThat(sampler.evaluations(1)).isEqualTo(1);
    assertThat(out.shape()).containsExactly(5, 2);

    List<Call> ddimCalls = new ArrayList<>();
    TinyTeachers.ddim().sample((state, t) -> {
      Tensor x = state.x();
      ddimCalls.add(new Call(x.copy(), t));
      return x;
    }, new long[] {5, 2}, 4, new SplittableRandom(9));
    assertThat(calls.get(0).x().contentEquals(ddimCalls.get(0).x()))
        .as("the student sees the noise a DDIM run from the same seed starts from").isTrue();
    for (int i = 0; i < out.size(); i++) {
      assertThat(out.get(i)).isEqualTo(2 * calls.get(0).x().get(i));
    }
  }

  @Test
  void rejectsMoreThanOneStep() {
    BootSampler sampler = new BootSampler(BootSamplerConfig.defaults());
    assertThatThrownBy(() -> sampler.sample((s, t) -> s.x(), new long[] {2, 2}, 4, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps must be 1, got 4");
  }
}
