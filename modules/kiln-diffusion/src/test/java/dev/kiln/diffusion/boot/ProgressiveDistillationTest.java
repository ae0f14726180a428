package dev.kiln.diffusion.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.runtime.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressiveDistillationTest {

  @TempDir
  Path dir;

  @Test
  void targetIsTheX0WhoseOneDdimStepLandsWhereTheTeachersTwoStepsLand() {
    SignalGrid fine = SignalGrid.of(TinyTeachers.ddim(), 8);
    SplittableRandom rng = new SplittableRandom(2);
    for (int k = 0; k < 8; k += 2) {
      double xt = rng.nextGaussian();
      double xs = rng.nextGaussian();
      double at = fine.alpha(k);
      double st = fine.sigma(k);
      double as = fine.alpha(k + 2);
      double ss = fine.sigma(k + 2);
      double x0 = ProgressiveDistillation.target(xt, at, st, xs, as, ss);
      assertThat(as * x0 + ss * (xt - at * x0) / st).as("student node %d", k / 2).isCloseTo(xs, within(1e-9));
    }
  }

  @Test
  void roundsHalveTheStepsDownToOneStartingFromTheTeacher() throws Exception {
    Path file = TinyTeachers.write(TinyTeachers.toy(), new long[] {2}, 0, dir.resolve("toy.onnx"), 3);
    Teacher teacher = Teacher.load(file);
    ProgressiveDistillation pd = new ProgressiveDistillation(TinyTeachers.CPU, TinyTeachers.toy(), teacher,
        new ProgressiveDistillation.Settings(4, 3, 8, 1e-3, 1));
    List<ProgressiveDistillation.Round> rounds = pd.run((step, x0) -> {
      SplittableRandom rng = new SplittableRandom(step);
      for (int i = 0; i < x0.length; i++) {
        x0[i] = rng.nextGaussian();
      }
      return null;
    }, dir.resolve("pd"), 1, null);
    assertThat(rounds).extracting(ProgressiveDistillation.Round::steps).containsExactly(2, 1);
    for (ProgressiveDistillation.Round r : rounds) {
      assertThat(r.result().steps()).isEqualTo(3);
      assertThat(r.result().diverged()).isFalse();
    }
    Tensor first = rounds.get(0).student().get("mlp.0.weight");
    assertThat(first.contentEquals(teacher.weight("mlp.0.weight"))).as("the student was trained").isFalse();
    assertThat(first.contentEquals(rounds.get(1).student().get("mlp.0.weight")))
        .as("each round trains its own copy").isFalse();
  }
}
