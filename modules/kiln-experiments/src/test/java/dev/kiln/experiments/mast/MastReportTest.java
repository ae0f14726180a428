package dev.kiln.experiments.mast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MastReportTest {

  private static Map<String, Double> scores(double shape, double hue) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("shape", shape);
    m.put("hue", hue);
    return m;
  }

  private static RunScores run(String method, long seed, double shape, double hue) {
    double[][] masks = method.equals("mast") ? new double[][] {{1, 1, 0, 0}, {0, 1, 1, 0}} : null;
    Map<String, Double> rho = null;
    if (method.equals("mast")) {
      rho = new LinkedHashMap<>();
      rho.put("crop", 0.5);
      rho.put("colour", -0.1);
    }
    return new RunScores("shapes", method, seed, scores(shape, hue), scores(shape, hue), 10, 0.1, 20, masks, rho);
  }

  @Test
  void oracleTakesTheBestVicregRunPerTaskAndMasksReportTheirOverlap(@TempDir Path dir) throws Exception {
    List<RunScores> runs = new ArrayList<>();
    for (long seed = 0; seed < 2; seed++) {
      runs.add(run("vicreg", seed, 0.9, 0.2));
      runs.add(run("vicreg-no-crop", seed, 0.5, 0.3));
      runs.add(run("vicreg-no-colour", seed, 0.8, 0.7));
      runs.add(run("mast", seed, 0.85, 0.6));
    }
    new MastReport(MastProtocol.quick(), 2, runs, Map.of(), Map.of("shapes_pairs_per_second", 100.0)).write(dir);
    String md = Files.readString(dir.resolve("summary.md"));
    // Per task, the best of VICReg and its leave-one-out runs: 90 % on shape, 70 % on hue; mean 80 %.
    assertThat(md).contains("| " + MastReport.ORACLE + " | 90.0 | 70.0 | 80.0 |");
    assertThat(md).contains("| mast | 85.0 ± 0.0 | 60.0 ± 0.0 | 72.5 ± 0.0 |");
    // Masks {1,1,0,0} and {0,1,1,0}: soft IoU 1/3, mean mask 0.5.
    assertThat(md).contains("| crop | 0.500 | 0.50 | 1.000 | 0.333 |");
    assertThat(dir.resolve("mask-overlap-shapes-mast.png")).exists();
    assertThat(dir.resolve("probe-shapes-embedding.png")).exists();
    assertThat(Files.readString(dir.resolve("results.json"))).contains("\"vicreg-no-colour\"");
  }
}
