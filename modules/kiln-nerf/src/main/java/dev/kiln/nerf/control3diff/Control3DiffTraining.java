package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.spi.Configs;
import dev.kiln.train.MetricsLog;
import dev.kiln.train.ModelProvenance;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Control3Diff trained from a {@link Control3DiffRecipe} and a seed: the triplane GAN on one view per
 * training scene ({@link GanTrainer}), a pool of its own samples ({@link GanSamples}), then the
 * unconditional prior and one conditional prior per control on that pool. The GAN's initialisation,
 * batches and pool come from the seed, the unconditional prior from the seed and each conditional prior
 * from (seed, control), so the same recipe and seed give the same weights. Each stage writes a metrics
 * log into the run folder.
 */
public final class Control3DiffTraining {

  /** Steps between logged points. */
  static final int LOG_EVERY = 10;

  private Control3DiffTraining() {}

  /** Trains the whole model, recording its provenance for the checkpoint and the exports. */
  public static Control3Diff train(Control3DiffRecipe recipe, long seed, OrtBackend backend, Path dir, PrintStream log)
      throws IOException {
    MultiViewDataset data = MultiViewDataset.generate(recipe.data());
    ModelProvenance provenance = ModelProvenance.startingNow(data.trainingIdentity());
    List<View> views = data.train().stream().map(s -> s.inputs().get(0)).toList();
    log.printf("control3diff: training the GAN on %d scenes × 1 view (%d steps)%n", views.size(),
        recipe.gan().steps());
    TriplaneGan gan = TriplaneGan.initialize(recipe.gan(), seed);
    try (MetricsLog m = new MetricsLog(dir.resolve("gan-metrics.jsonl"), -1)) {
      GanTrainer.train(gan, views, backend, seed, LOG_EVERY, m, log);
    }
    GanSamples pool = GanSamples.draw(gan, recipe.prior().pool(), views.stream().map(View::camera).toList(), backend,
        seed);
    Control3Diff model = priors(recipe.prior(), recipe.controlSignals(), gan, pool, seed, backend, dir, "", LOG_EVERY,
        log, new LinkedHashMap<>());
    model.recordProvenance(provenance.exportMetadata(Configs.toTree(recipe).toString(), seed, recipe.gan().steps()));
    return model;
  }

  /**
   * The unconditional prior (seed {@code seed}) and a conditional prior per control (seed mixed with the
   * control's name) trained on {@code pool}, each logging every {@code logEvery} steps to
   * {@code dir/prior-NAME<suffix>.jsonl}; each one's curve goes into {@code curves}.
   */
  public static Control3Diff priors(PriorConfig config, List<ControlSignal> controls, TriplaneGan gan,
      GanSamples pool, long seed, OrtBackend backend, Path dir, String suffix, int logEvery, PrintStream log,
      Map<String, List<LatentPrior.Point>> curves) throws IOException {
    int style = gan.config().style();
    int side = gan.config().imageSize();
    LatentPrior unconditional = LatentPrior.initialize(config, null, style, side, pool, seed);
    try (MetricsLog m = new MetricsLog(dir.resolve("prior-unconditional" + suffix + ".jsonl"), -1)) {
      curves.put("unconditional", unconditional.train(pool, backend, seed, logEvery, m, log));
    }
    Map<ControlSignal, LatentPrior> conditional = new EnumMap<>(ControlSignal.class);
    for (ControlSignal c : controls) {
      LatentPrior p = LatentPrior.initialize(config, c, style, side, pool, seed);
      try (MetricsLog m = new MetricsLog(dir.resolve("prior-" + c.id() + suffix + ".jsonl"), -1)) {
        curves.put(c.id(), p.train(pool, backend, Seeds.mix(seed, c.id()), logEvery, m, log));
      }
      conditional.put(c, p);
    }
    return new Control3Diff(gan, conditional, unconditional);
  }
}
