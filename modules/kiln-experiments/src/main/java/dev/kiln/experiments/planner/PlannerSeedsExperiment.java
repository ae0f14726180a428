package dev.kiln.experiments.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code planner} study (arXiv 2306.02531) over training seeds: every model (tokenizer aside, which
 * has no seed) is trained again with seed k in {@code seed-k/} and evaluated with sampling seed k, for
 * k = 0 … n − 1 (n = {@code --seeds}, 3 by default). A seed whose folder already holds
 * {@code results.json} is read, not run again; a stopped run resumes its stages from their checkpoints.
 * Writes {@code results.json} (each seed's embedder measures and generations) and {@code table.md}
 * (mean ± std over the training seeds). Report: {@code docs/reproductions/planner.md}.
 */
public final class PlannerSeedsExperiment implements Experiment {

  @Override
  public String name() {
    return "planner-seeds";
  }

  @Override
  public String description() {
    return "the planner study repeated over training seeds (each model trained again), mean ± std over seeds";
  }

  @Override
  public void run(Context ctx) throws Exception {
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : 3;
    Files.createDirectories(ctx.outDir());
    List<JsonNode> runs = new ArrayList<>();
    for (int k = 0; k < seeds; k++) {
      Path dir = ctx.outDir().resolve("seed-" + k);
      Path done = dir.resolve("results.json");
      if (Files.isRegularFile(done)) {
        ctx.log().println("planner-seeds: seed " + k + " read from " + done);
        runs.add(Configs.readFile(done, "planner seed results"));
      } else {
        runs.add(PlannerExperiment.study(ctx, dir, k, k, 1));
      }
    }
    ObjectNode root = Configs.mapper().createObjectNode();
    root.put("training_seeds", seeds);
    ArrayNode embedders = root.putArray("embedder");
    ArrayNode aubleu = root.putArray("aubleu");
    ObjectNode gen = root.putObject("generation");
    for (JsonNode r : runs) {
      embedders.add(r.get("embedder"));
      aubleu.add(r.path("aubleu").path("aubleu").asDouble());
      for (Map.Entry<String, JsonNode> task : r.get("generation").properties()) {
        ObjectNode t = gen.has(task.getKey()) ? (ObjectNode) gen.get(task.getKey()) : gen.putObject(task.getKey());
        for (Map.Entry<String, JsonNode> m : task.getValue().properties()) {
          ArrayNode a = t.has(m.getKey()) ? (ArrayNode) t.get(m.getKey()) : t.putArray(m.getKey());
          m.getValue().forEach(a::add);
        }
      }
    }
    StringBuilder md = new StringBuilder("### embedder (mean ± std over training seeds)\n\n| measure | value |\n|---|---|\n");
    for (String k : new String[] {"bleu_clean", "bleu_robust_30", "decoder_ce_own_latent", "decoder_ce_other_latent",
        "decoder_ce_zero_latent", "judge_ppl_midpoints", "judge_ppl_reconstructions", "judge_ppl_real"}) {
      double[] v = runs.stream().mapToDouble(r -> r.get("embedder").path(k).asDouble()).toArray();
      md.append("| ").append(k).append(" | ").append(PlannerEvaluation.meanStd(v)).append(" |\n");
    }
    double[] au = runs.stream().mapToDouble(r -> r.path("aubleu").path("aubleu").asDouble()).toArray();
    md.append("| aubleu | ").append(PlannerEvaluation.meanStd(au)).append(" |\n");
    md.append(PlannerEvaluation.table(gen).replace("over seeds", "over training seeds"));
    AtomicFiles.write(ctx.outDir().resolve("results.json"), Configs.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(root));
    AtomicFiles.write(ctx.outDir().resolve("table.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    ctx.log().println(md);
  }
}
