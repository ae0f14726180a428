package dev.kiln.cli;

import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln zoo verify [NAME...]}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check that each shipped model is what its card says: every file's SHA-256 against the folder's",
        "SHA256SUMS (no file missing, none unlisted), then the card's evaluation re-run on the shipped model and",
        "compared with the numbers in card.json within the card's tolerance. Exit 0 when all match, 1 on any mismatch."})
final class ZooVerifyCommand implements Callable<Integer> {

  /** Exit code when a file or a number does not match its card. */
  static final int MISMATCH = 1;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "models to verify (default: every one the zoo ships)")
  List<String> names = new ArrayList<>();

  @Option(names = "--hashes-only", description = "check the files against SHA256SUMS and skip the evaluations")
  boolean hashesOnly;

  @Mixin
  ZooRunOptions options;

  @Override
  public Integer call() throws Exception {
    RuntimeOptions runtime = options.runtime();
    List<Path> folders = new ArrayList<>();
    for (String n : names) {
      folders.add(options.shipped(n, "verify"));
    }
    if (names.isEmpty()) {
      folders.addAll(options.zoo.folders());
    }
    Injector training = hashesOnly ? null : runtime.injector();
    Injector inference = hashesOnly ? null : runtime.inferenceInjector();
    long start = System.nanoTime();
    int verified = 0;
    int failed = 0;
    List<String> recipesOnly = new ArrayList<>();
    for (Path folder : folders) {
      if (!Files.exists(folder.resolve(ZooCard.FILE))) {
        recipesOnly.add(folder.getFileName().toString());
        continue;
      }
      long t0 = System.nanoTime();
      List<String> problems = check(folder, training, inference, runtime.threads, System.out);
      String name = folder.getFileName().toString();
      double secs = (System.nanoTime() - t0) / 1e9;
      if (problems.isEmpty()) {
        verified++;
        System.out.printf(Locale.ROOT, "%s: ok (%.1f s)%n", name, secs);
      } else {
        failed++;
        problems.forEach(p -> System.out.println(name + ": MISMATCH " + p));
      }
    }
    System.out.printf(Locale.ROOT, "kiln zoo verify: %d verified, %d with mismatches%s in %.1f s%n", verified, failed,
        recipesOnly.isEmpty() ? "" : "; recipes only, nothing shipped: " + String.join(", ", recipesOnly),
        (System.nanoTime() - start) / 1e9);
    return failed > 0 ? MISMATCH : 0;
  }

  /**
   * The mismatches of one model folder: its files against the manifest, then (unless {@code training} is
   * null) its card's numbers against a fresh evaluation, whose results go to {@code out}.
   */
  static List<String> check(Path folder, Injector training, Injector inference, int threads,
      java.io.PrintStream out) throws Exception {
    ZooCard card = ZooCard.read(folder);
    List<String> problems = new ArrayList<>();
    if (Files.isRegularFile(folder.resolve(ZooManifest.FILE))) {
      problems.addAll(ZooManifest.read(folder).check(folder));
    } else {
      problems.add(folder.resolve(ZooManifest.FILE) + ": missing, so no file can be checked; write it with `kiln zoo"
          + " publish " + card.name() + "`");
    }
    for (ZooCard.Trained t : card.models()) {
      if (!Files.isRegularFile(folder.resolve(t.file()))) {
        problems.add(folder.resolve(t.file()) + ": the card ships it, but it is missing");
      }
    }
    if (!problems.isEmpty() || training == null) {
      return problems;
    }
    if (card.metrics().isEmpty()) {
      problems.add(folder.resolve(ZooCard.FILE) + ": field `metrics` is empty; measure them with `kiln zoo publish "
          + card.name() + "`");
      return problems;
    }
    Map<String, Double> measured = ZooEvaluation.measure(folder, card, training, inference, threads);
    card.metrics().forEach((metric, expected) -> {
      Double got = measured.get(metric);
      if (got == null) {
        problems.add(folder.resolve(ZooCard.FILE) + ": metric `" + metric + "` is on the card but the evaluation"
            + " measures only " + measured.keySet());
      } else {
        boolean ok = card.tolerance().accepts(expected, got);
        out.printf(Locale.ROOT, "%s: %s %s, card %s%s%n", card.name(), metric, exact(got), exact(expected),
            ok ? (got.equals(expected) ? " (identical)" : " (within " + card.tolerance() + ")") : "");
        if (!ok) {
          problems.add(folder.resolve(ZooCard.FILE) + ": field `metrics." + metric + "` is " + exact(expected)
              + " but the shipped model measures " + exact(got) + " (tolerance " + card.tolerance() + ")");
        }
      }
    });
    return problems;
  }

  private static String exact(double v) {
    return Double.toString(v);
  }
}
