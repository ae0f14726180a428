package dev.kiln.spi;

import dev.kiln.runtime.OrtBackend;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A reproducible study (a paper's "must show"): trains and evaluates what it needs and writes its
 * tables, plots and raw numbers under an output folder. Found with {@link java.util.ServiceLoader};
 * run with {@code kiln experiment NAME}.
 */
public interface Experiment extends Named {

  /** The name on the command line ({@code "sigma-reparam-lr-sweep"}). */
  String name();

  /** One line for {@code kiln experiment --list}. */
  String description();

  /** Runs the study. */
  void run(Context context) throws Exception;

  /**
   * Where and how an experiment runs.
   *
   * @param outDir folder for results (created)
   * @param backend ONNX Runtime backend
   * @param seeds how many seeds to repeat over (the experiment's own default when 0)
   * @param quick a few steps only, to check that the experiment runs end to end
   * @param log progress lines
   */
  record Context(Path outDir, OrtBackend backend, int seeds, boolean quick, PrintStream log) {

    /**
     * The plan a study runs: its {@code quick} one or its {@code full} one, repeated over {@link #seeds}
     * when the user gave a number ({@code withSeeds}).
     */
    public <P> P plan(Supplier<P> quick, Supplier<P> full, BiFunction<P, Integer, P> withSeeds) {
      P plan = quick() ? quick.get() : full.get();
      return seeds > 0 ? withSeeds.apply(plan, seeds) : plan;
    }
  }
}
