package dev.kiln.experiments.planner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.experiments.hyperut.Statistics;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.Configs;
import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.text.metrics.AttributeClassifier;
import dev.kiln.text.metrics.Bleu;
import dev.kiln.text.metrics.Diversity;
import dev.kiln.text.metrics.Mauve;
import dev.kiln.text.planner.CachedDecoding;
import dev.kiln.text.planner.CosineLatentSchedule;
import dev.kiln.text.planner.LanguageModel;
import dev.kiln.text.planner.Planner;
import dev.kiln.text.planner.PlannerData;
import dev.kiln.text.planner.PlannerScores;
import dev.kiln.text.planner.PlannerText;
import dev.kiln.viz.LinePlot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The measures of the PLANNER study, all through exported models: embedder reconstruction BLEU (clean
 * and 30 % substituted inputs) and the judge perplexity of decoded midpoints; AuBLEU; and, per seed,
 * attribute-conditioned generation and completion by PLANNER and the autoregressive baseline (greedy
 * and nucleus) with diversity, repetition, self-BLEU, judge perplexity, era accuracy, MAUVE and
 * seconds per paragraph.
 */
final class PlannerEvaluation {

  /** A generation method of the comparison. */
  private interface Method {
    String name();

    /** Texts for the rows: attribute labels ({@code classes} = none) and prompts (null: none). */
    List<String> generate(int[] labels, int[][] prompts, long seed);
  }

  private final Planner planner;
  private final LanguageModel baseline;
  private final LanguageModel judge;
  private final AttributeClassifier classifier;
  private final PlannerData test;
  private final PlannerExperiment.Settings settings;
  private final PrintStream log;
  private final PlannerText text;

  PlannerEvaluation(Planner planner, LanguageModel baseline, LanguageModel judge, AttributeClassifier classifier,
      PlannerData test, PlannerExperiment.Settings settings, PrintStream log) {
    this.planner = planner;
    this.baseline = baseline;
    this.judge = judge;
    this.classifier = classifier;
    this.test = test;
    this.settings = settings;
    this.log = log;
    this.text = planner.text();
  }

  /** Every measure, generation repeated over sampling seeds {@code firstSeed} … {@code firstSeed + seeds − 1}. */
  void run(ObjectNode root, int firstSeed, int seeds, Path out) throws IOException {
    root.set("embedder", embedder());
    root.set("aubleu", aubleu(out));
    List<Method> methods = methods();
    ObjectNode gen = root.putObject("generation");
    StringBuilder samples = new StringBuilder("# PLANNER study: samples (the first of sampling seed " + firstSeed
        + ", not selected)\n");
    for (String task : List.of("attribute", "completion")) {
      ObjectNode t = gen.putObject(task);
      samples.append("\n## ").append(task).append("\n");
      for (Method m : methods) {
        ArrayNode perSeed = t.putArray(m.name());
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
          Map<String, Double> r = new LinkedHashMap<>();
          List<String> texts = task.equals("attribute") ? attribute(m, seed, r) : completion(m, seed, r);
          perSeed.add(Configs.mapper().valueToTree(r));
          log.println("planner: " + task + " " + m.name() + " seed " + seed + " " + r);
          if (seed == firstSeed) {
            samples.append("\n### ").append(m.name()).append("\n\n");
            int classes = planner.config().classes();
            for (int i = 0; i < Math.min(4, texts.size()); i++) {
              int row = task.equals("attribute") ? (i % classes) * settings.perClass() + i / classes : i;
              if (row < texts.size()) {
                samples.append(i + 1).append(". ").append(sampleLine(task, row, texts.get(row))).append("\n");
              }
            }
          }
        }
      }
    }
    AtomicFiles.write(out.resolve("samples.md"), samples.toString().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(out.resolve("table.md"), table(gen).getBytes(StandardCharsets.UTF_8));
  }

  private String sampleLine(String task, int i, String generated) {
    if (task.equals("attribute")) {
      return "[era " + SotuParagraphs.ERA_NAMES.get(i / settings.perClass()) + "] " + generated;
    }
    return "_" + test.prefixTexts().get(i) + "_ → " + generated;
  }

  private List<Method> methods() {
    int steps = settings.ddimSteps();
    List<Method> m = new ArrayList<>();
    for (double w : new double[] {1, 3}) {
      String name = "planner-w" + (int) w;
      m.add(new Method() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public List<String> generate(int[] labels, int[][] prompts, long seed) {
          float[] z = planner.sample(labels, prompts, prompts == null ? w : 1, steps, seed);
          return Arrays.stream(planner.decode(z, labels.length)).map(text::decode).toList();
        }
      });
    }
    for (CachedDecoding.Choice choice : List.of(CachedDecoding.Choice.GREEDY, CachedDecoding.Choice.nucleus())) {
      String name = choice.greedy() ? "ar-greedy" : "ar-nucleus";
      m.add(new Method() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public List<String> generate(int[] labels, int[][] prompts, long seed) {
          return List.of(baseline.texts(baseline.generate(labels, prompts, choice, new SplittableRandom(seed))));
        }
      });
    }
    return m;
  }

  /** Era-conditioned generation: perClass rows of each era, in era order. */
  private List<String> attribute(Method m, long seed, Map<String, Double> r) {
    int classes = planner.config().classes();
    int n = settings.perClass() * classes;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i / settings.perClass();
    }
    long t0 = System.nanoTime();
    List<String> texts = m.generate(labels, null, seed);
    r.put("seconds_per_paragraph", (System.nanoTime() - t0) / 1e9 / n);
    measure(texts, null, r);
    r.put("era_accuracy", classifier.accuracy(texts, labels));
    List<String> human = test.texts().subList(0, Math.min(n, test.size()));
    r.put("mauve", mauve(texts, null, human, null, seed));
    return texts;
  }

  /** Completion of test prefixes; the continuation is compared with the real one. */
  private List<String> completion(Method m, long seed, Map<String, Double> r) {
    int n = Math.min(settings.prompts(), test.size());
    int[] labels = new int[n];
    Arrays.fill(labels, planner.config().classes());
    int[][] prompts = Arrays.copyOf(test.prefixTokens(), n);
    long t0 = System.nanoTime();
    List<String> texts = m.generate(labels, prompts, seed);
    r.put("seconds_per_paragraph", (System.nanoTime() - t0) / 1e9 / n);
    measure(texts, prompts, r);
    List<String> refs = test.continuationTexts().subList(0, n);
    r.put("bleu_vs_reference", Bleu.corpus(texts, refs));
    r.put("mauve", mauve(texts, prompts, refs, prompts, seed));
    return texts;
  }

  private void measure(List<String> texts, int[][] context, Map<String, Double> r) {
    Diversity d = Diversity.of(texts);
    r.put("distinct_1", d.distinct1());
    r.put("distinct_2", d.distinct2());
    r.put("entropy_1", d.entropy1());
    r.put("rep_4_corpus", d.corpusRep4());
    r.put("rep_4_sample", d.sampleRep4());
    r.put("mean_words", d.meanWords());
    r.put("self_bleu", Bleu.self(texts.subList(0, Math.min(100, texts.size()))));
    r.put("judge_ppl", perplexity(texts, context));
  }

  private double perplexity(List<String> texts, int[][] context) {
    int[][] cont = texts.stream().map(t -> text.tokenizer().encode(t)).toArray(int[][]::new);
    double[][] s = judge.score(context, cont, null);
    double nll = 0;
    double count = 0;
    for (double[] row : s) {
      nll += row[0];
      count += row[1];
    }
    return Math.exp(nll / count);
  }

  private double mauve(List<String> model, int[][] modelContext, List<String> human, int[][] humanContext,
      long seed) {
    int dim = judge.config().dim();
    float[] p = new float[model.size() * dim];
    float[] q = new float[human.size() * dim];
    judge.score(modelContext, model.stream().map(t -> text.tokenizer().encode(t)).toArray(int[][]::new), p);
    judge.score(humanContext, human.stream().map(t -> text.tokenizer().encode(t)).toArray(int[][]::new), q);
    return Mauve.score(p, model.size(), q, human.size(), dim, seed);
  }

  private ObjectNode embedder() {
    int n = Math.min(settings.evalTexts(), test.size());
    int[][] rows = Arrays.copyOf(test.whole(), n);
    List<String> refs = references(rows);
    ObjectNode e = Configs.mapper().createObjectNode();
    float[] mu = planner.encode(rows);
    List<String> clean = decodeAll(mu, n);
    e.put("bleu_clean", Bleu.corpus(clean, refs));
    e.put("bleu_robust_30", Bleu.corpus(decodeAll(planner.encode(PlannerScores.substituted(text, rows)), n), refs));
    int latent = planner.config().latents() * planner.config().latentDim();
    int pairs = n / 2;
    float[] mid = new float[pairs * latent];
    for (int i = 0; i < pairs; i++) {
      for (int j = 0; j < latent; j++) {
        mid[i * latent + j] = (mu[2 * i * latent + j] + mu[(2 * i + 1) * latent + j]) / 2;
      }
    }
    // Does the decoder read the latent? Its own latent against the next paragraph's and a zero latent.
    float[] shifted = PlannerScores.nextParagraphs(mu, n, latent);
    e.put("decoder_ce_own_latent", planner.crossEntropy(mu, rows));
    e.put("decoder_ce_other_latent", planner.crossEntropy(shifted, rows));
    e.put("decoder_ce_zero_latent", planner.crossEntropy(new float[mu.length], rows));
    double meanAbs = 0;
    for (float v : mu) {
      meanAbs += Math.abs(v);
    }
    e.put("latent_mean_abs", meanAbs / mu.length);
    List<String> midpoints = decodeAll(mid, pairs);
    e.put("judge_ppl_midpoints", perplexity(midpoints, null));
    e.put("judge_ppl_reconstructions", perplexity(clean, null));
    e.put("judge_ppl_real", perplexity(refs, null));
    ArrayNode ex = e.putArray("midpoint_examples");
    for (int i = 0; i < Math.min(3, pairs); i++) {
      ObjectNode o = ex.addObject();
      o.put("a", refs.get(2 * i));
      o.put("b", refs.get(2 * i + 1));
      o.put("midpoint", midpoints.get(i));
    }
    log.println("planner: embedder " + e);
    return e;
  }

  private ObjectNode aubleu(Path out) throws IOException {
    int n = Math.min(settings.evalTexts(), test.size());
    int[][] rows = Arrays.copyOf(test.whole(), n);
    List<String> refs = references(rows);
    float[] x0 = planner.encode(rows);
    SplittableRandom rng = new SplittableRandom(7);
    float[] eps = new float[x0.length];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) rng.nextGaussian();
    }
    int points = 11;
    double[] alpha2 = new double[points];
    double[] bleu = new double[points];
    ObjectNode a = Configs.mapper().createObjectNode();
    ArrayNode curve = a.putArray("curve");
    for (int p = 0; p < points; p++) {
      int timestep = (int) Math.round((double) p / (points - 1) * (CosineLatentSchedule.STEPS - 1));
      double tau = CosineLatentSchedule.tau(timestep);
      double al = CosineLatentSchedule.alpha(tau);
      double si = CosineLatentSchedule.sigma(tau);
      float[] xt = new float[x0.length];
      for (int i = 0; i < xt.length; i++) {
        xt[i] = (float) (al * x0[i] + si * eps[i]);
      }
      float[] x0hat = planner.denoiseOnce(xt, n, timestep);
      alpha2[points - 1 - p] = al * al;
      bleu[points - 1 - p] = Bleu.corpus(decodeAll(x0hat, n), refs);
      ObjectNode o = curve.addObject();
      o.put("timestep", timestep);
      o.put("alpha2", al * al);
      o.put("bleu", bleu[points - 1 - p]);
    }
    double area = 0;
    for (int p = 1; p < points; p++) {
      area += (alpha2[p] - alpha2[p - 1]) * (bleu[p] + bleu[p - 1]) / 2;
    }
    a.put("aubleu", area);
    LinePlot.titled("BLEU of one-step x0 decodes (State of the Union test)").withLabels("alpha^2", "BLEU")
        .write(out.resolve("aubleu.png"), new LinePlot.Series("PLANNER", alpha2, bleu));
    log.println("planner: AuBLEU " + area);
    return a;
  }

  /** The rows as the models see them (cut to L − 1 tokens), the references of reconstruction BLEU. */
  private List<String> references(int[][] rows) {
    return Arrays.stream(rows).map(r -> text.decode(PlannerText.content(r))).toList();
  }

  private List<String> decodeAll(float[] latents, int n) {
    return PlannerScores.decodeAll(planner, latents, n);
  }

  /**
   * Mean ± std over the entries of {@code gen.<task>.<method>} (one per seed), a table per task, the
   * methods in their order in {@code gen}.
   */
  static String table(ObjectNode gen) {
    List<String> methods = new ArrayList<>();
    gen.get("attribute").properties().forEach(e -> methods.add(e.getKey()));
    String[] keys = {"rep_4_corpus", "rep_4_sample", "distinct_1", "distinct_2", "entropy_1", "self_bleu",
        "judge_ppl", "era_accuracy", "bleu_vs_reference", "mauve", "mean_words", "seconds_per_paragraph"};
    StringBuilder md = new StringBuilder();
    for (String task : List.of("attribute", "completion")) {
      md.append("\n### ").append(task).append(" (mean ± std over seeds)\n\n| method |");
      List<String> shown = new ArrayList<>();
      for (String k : keys) {
        if (gen.get(task).get(methods.get(0)).get(0).has(k)) {
          shown.add(k);
          md.append(' ').append(k).append(" |");
        }
      }
      md.append("\n|---|").append("---|".repeat(shown.size())).append('\n');
      for (String m : methods) {
        md.append("| ").append(m).append(" |");
        for (String k : shown) {
          double[] v = new double[gen.get(task).get(m).size()];
          for (int s = 0; s < v.length; s++) {
            v[s] = gen.get(task).get(m).get(s).get(k).asDouble();
          }
          md.append(' ').append(meanStd(v)).append(" |");
        }
        md.append('\n');
      }
    }
    return md.toString();
  }

  /** {@code mean ± std} (sample standard deviation, 0 for one value) to three decimals. */
  static String meanStd(double[] v) {
    return String.format(Locale.ROOT, "%.3f ± %.3f", Statistics.mean(v), Statistics.std(v));
  }
}
