package dev.kiln.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepJobTest {

  @TempDir
  Path dir;

  @Test
  void everyCellOfTheGridIsOneEvalRowInTheTableAndThePlot() throws Exception {
    var grid = new SweepJob.Grid(List.of(LocalSpark.QUICKSTART), List.of("ddim", "dpmpp-2m"), List.of(3),
        List.of(1.0, 3.0), List.of(), 200, 9, 100);
    List<EvalJob.Result> rows = SweepJob.run(LocalSpark.session(), grid, LocalSpark.CPU, 2);
    // an unconditional model is swept at guidance 1 only
    assertThat(rows).extracting(r -> r.sampler() + "/" + r.steps() + "/" + r.guidance())
        .containsExactly("ddim/3/1.0", "dpmpp-2m/3/1.0");

    SampleSpec cell = SampleSpec.plan(LocalSpark.context(), LocalSpark.QUICKSTART, "dpmpp-2m", List.of(), 3, 200, 9,
        null, 1.0, 100, LocalSpark.CPU);
    assertThat(rows.get(1).fd()).isEqualTo(EvalJob.run(LocalSpark.session(), cell, 1).fd());

    SweepJob.write(rows, dir.resolve("sweep"));
    List<String> csv = Files.readAllLines(dir.resolve("sweep/sweep.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).startsWith("model,sampler,steps,nfe,guidance,count,references,fd,precision,recall");
    assertThat(csv.get(1)).contains(",ddim,3,3,1.0,200,200,");
    var png = ImageIO.read(dir.resolve("sweep/sweep.png").toFile());
    assertThat(png.getWidth()).isPositive();
  }
}
