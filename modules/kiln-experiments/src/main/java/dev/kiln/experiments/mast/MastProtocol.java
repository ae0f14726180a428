package dev.kiln.experiments.mast;

import dev.kiln.ssl.Method;
import dev.kiln.ssl.augment.ColorJitter;
import dev.kiln.ssl.augment.FlipRotate;
import dev.kiln.ssl.augment.GaussianBlur;
import dev.kiln.ssl.augment.Grayscale;
import dev.kiln.ssl.augment.Pipeline;
import dev.kiln.ssl.augment.ResizedCrop;
import dev.kiln.ssl.augment.Solarize;
import dev.kiln.ssl.augment.Stage;
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

  /**
   * VICReg's augmentations rescaled to 16-pixel pictures, grouped into the K = 4 types MAST masks: crop
   * (area 0.35–1 rather than 0.08–1, which would leave a 16-pixel picture a few pixels of content),
   * flip and quarter turns, colour (jitter 0.4/0.4/0.4/0.1 with p 0.8, grey p 0.2, solarise p 0.1) and
   * blur (σ 0.1–1 pixel with p 0.5, VICReg's 0.1–2 on 224 pixels being a far larger share of the picture).
   */
  static Pipeline shapesPipeline() {
    return Pipeline.of(Stage.of("crop", new ResizedCrop(0.35, 1)), Stage.of("flip-rotate", new FlipRotate(0.5, true)),
        Stage.of("colour", new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new Grayscale(0.2), new Solarize(0.5, 0.1)),
        Stage.of("blur", new GaussianBlur(0.1, 1, 0.5)));
  }

  /** The digits' pipeline: as for shapes without flips and turns, which change a digit's identity. */
  static Pipeline digitsPipeline() {
    return Pipeline.of(Stage.of("crop", new ResizedCrop(0.35, 1)),
        Stage.of("colour", new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new Grayscale(0.2), new Solarize(0.5, 0.1)),
        Stage.of("blur", new GaussianBlur(0.1, 1, 0.5)));
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
