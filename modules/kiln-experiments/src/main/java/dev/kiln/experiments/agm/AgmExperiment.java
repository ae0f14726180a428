package dev.kiln.experiments.agm;

import dev.kiln.spi.process.Bridge;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The AGM reproduction (Chen et al., "Generative Modeling with Phase Stochastic Bridges", arXiv
 * 2310.07805; report {@code docs/reproductions/agm.md}): on 8 Gaussians and on MNIST digits, an AGM
 * model trained with the loss L = E[(1/(1−t))‖D(m_t, t) − F_t/N_t‖²] and sampled with the
 * probability-flow gDDIM integrator and early prediction of x₁ (eq. of {@link Bridge}), against an
 * ε-prediction diffusion model of the same size and training budget sampled with DDIM and
 * DPM-Solver++ 2M, at NFE 3, 5, 10, 20 and 50. Also: the best t_hop per NFE, the early-prediction
 * curve (quality of x̂₁(t) along one trajectory), and on the toy data an SDE-label model sampled
 * with SSCS and Euler–Maruyama. Writes {@code results.json}, {@code table.md} and, per data set,
 * the plots and sample figures under {@code toy/} and {@code digits/}. {@code --quick} trains a few
 * steps on the toy data only.
 */
public final class AgmExperiment implements Experiment {

  @Override
  public String name() {
    return "agm";
  }

  @Override
  public String description() {
    return "AGM (phase-space bridges, gDDIM + sampling-hop) vs DDIM / DPM-Solver++ 2M at NFE 3-50, toy and digits";
  }

  @Override
  public void run(Context ctx) throws Exception {
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : 3;
    // --quick checks the pipeline on the toy data only: digit metrics (Fréchet distances of 256-wide
    // features) cost seconds per call even on a handful of samples.
    run(ctx, ctx.quick() ? List.of(ComparisonSettings.toy(true, 1))
        : List.of(ComparisonSettings.toy(false, seeds), ComparisonSettings.digits(seeds)));
  }

  /** Runs the comparisons {@code all} and writes their results, tables and plots. */
  static void run(Context ctx, List<ComparisonSettings> all) throws Exception {
    ObjectNode results = Configs.mapper().createObjectNode();
    StringBuilder md = new StringBuilder("# agm experiment results\n\n");
    long start = System.nanoTime();
    for (ComparisonSettings s : all) {
      AgmComparison.Result r = new AgmComparison(s, ctx).run();
      ComparisonReport report = new ComparisonReport(r);
      report.plots(ctx.outDir().resolve(s.key()));
      results.set(s.key(), report.json());
      md.append(report.markdown()).append('\n');
      ctx.log().printf(Locale.ROOT, "agm: %s done after %.0f s%n", s.key(), (System.nanoTime() - start) / 1e9);
    }
    results.put("seconds", (System.nanoTime() - start) / 1e9);
    AtomicFiles.write(ctx.outDir().resolve("results.json"), results.toPrettyString().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(ctx.outDir().resolve("table.md"), md.toString().getBytes(StandardCharsets.UTF_8));
  }
}
