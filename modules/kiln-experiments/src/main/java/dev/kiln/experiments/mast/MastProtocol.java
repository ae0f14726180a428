package dev.kiln.experiments.mast;

import dev.kiln.ssl.Method;
import dev.kiln.ssl.augment.Pipeline;
import dev.kiln.ssl.data.ColouredDigits;
import dev.kiln.ssl.data.FactorImages;
import dev.kiln.ssl.data.ShapeScenes;
import dev.kiln.ssl.model.SslNetwork;
import dev.kiln.ssl.objective.MaskKind;
import dev.kiln.ssl.objective.MastConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU-scale protocol of the MAST study: both image sets, their augmentation pipelines, the network,
 * the compared methods and the shared budget (every method trains the same steps on the same batch).
 *
 * @param side picture side in pixels
 * @param shapes shape pictures generated (80 % train)
 * @param digitsTrain coloured digits for training
 * @param digitsTest coloured digits for testing
 * @param steps training steps per run
 * @param batch pairs per step
 * @param lr Adam's learning rate
 * @param probeTrain training pictures each linear probe fits on
 * @param probeIterations full-batch iterations per probe
 * @param uncertaintyPairs test pairs per augmentation in the uncertainty analysis
 */
record MastProtocol(int side, int shapes, int digitsTrain, int digitsTest, long steps, int batch, double lr,
    int probeTrain, int probeIterations, int uncertaintyPairs) {

  /** The reported protocol. */
  static MastProtocol full() {
    return new MastProtocol(16, 4000, 3000, 800, 200, 32, 3e-3, 1000, 100, 300);
  }

  /** A few steps of everything, to check the study end to end. */
  static MastProtocol quick() {
    return new MastProtocol(16, 600, 400, 200, 6, 16, 2e-3, 200, 20, 40);
  }

  SslNetwork network() {
    return SslNetwork.of(3, List.of(8L, 16L, 32L), List.of(64L, 64L));
  }

  FactorImages shapesData() {
    return ShapeScenes.generate(shapes, side, 0);
  }

  FactorImages digitsData() {
    return ColouredDigits.generate(digitsTrain, digitsTest, side, 0);
  }

  /** The shapes' K = 4 augmentation types ({@link Pipeline#forSmallShapes}). */
  static Pipeline shapesPipeline() {
    return Pipeline.forSmallShapes();
  }

  /** The digits' K = 3 augmentation types ({@link Pipeline#forSmallDigits}). */
  static Pipeline digitsPipeline() {
    return Pipeline.forSmallDigits();
  }

  /**
   * One trained configuration.
   *
   * @param method objective and pair mode
   * @param pipeline the augmentations it trains with
   * @param leftOut the stage left out, or −1
   */
  record Run(Method method, Pipeline pipeline, int leftOut) {}

  /**
   * VICReg with all augmentations, then (with {@code ablations}) VICReg leaving out each; MAST with the
   * log-likelihood uncertainty, without uncertainty, with centred uncertainty; and the mask ablations
   * (fixed random, one shared) both with and without uncertainty.
   */
  static List<Run> runs(Pipeline pipeline, boolean ablations) {
    List<Run> runs = new ArrayList<>();
    runs.add(new Run(Method.vicreg("vicreg"), pipeline, -1));
    if (ablations) {
      for (int k = 0; k < pipeline.size(); k++) {
        runs.add(new Run(Method.vicreg("vicreg-no-" + pipeline.names().get(k)), pipeline.without(k), k));
      }
    }
    MastConfig mast = MastConfig.standard();
    MastConfig plain = mast.withUncertainty(false);
    runs.add(new Run(Method.mast("mast", mast), pipeline, -1));
    runs.add(new Run(Method.mast("mast-no-uncertainty", plain), pipeline, -1));
    if (ablations) {
      runs.add(new Run(Method.mast("mast-centred-uncertainty", mast.withCentredUncertainty(true)), pipeline, -1));
      runs.add(new Run(Method.mast("mast-fixed-masks", mast.withMasks(MaskKind.FIXED_RANDOM)), pipeline, -1));
      runs.add(new Run(Method.mast("mast-shared-mask", mast.withMasks(MaskKind.SHARED)), pipeline, -1));
      runs.add(new Run(Method.mast("mast-no-uncertainty-fixed-masks", plain.withMasks(MaskKind.FIXED_RANDOM)),
          pipeline, -1));
      runs.add(new Run(Method.mast("mast-no-uncertainty-shared-mask", plain.withMasks(MaskKind.SHARED)), pipeline,
          -1));
    }
    return runs;
  }
}
