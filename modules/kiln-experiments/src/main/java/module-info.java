/**
 * Kiln's reproduction studies, one package per paper, each an {@link dev.kiln.spi.Experiment} run with
 * {@code kiln experiment NAME}: they train and evaluate what the method libraries offer and write the
 * tables, plots and raw numbers of the reports under {@code docs/reproductions/}. The libraries hold
 * only what a user of a method calls.
 */
module dev.kiln.experiments {
  requires dev.kiln.train;
  requires dev.kiln.diffusion;
  requires dev.kiln.nerf;
  requires dev.kiln.text;
  requires dev.kiln.transformers;
  requires dev.kiln.ssl;
  requires java.management;
  requires dev.kiln.viz;

  exports dev.kiln.experiments.samplers;
  exports dev.kiln.experiments.agm;
  exports dev.kiln.experiments.boot;
  exports dev.kiln.experiments.ssdnerf;
  exports dev.kiln.experiments.sigmareparam;
  exports dev.kiln.experiments.hyperut;
  exports dev.kiln.experiments.dpf;
  exports dev.kiln.experiments.nerfdiff;
  exports dev.kiln.experiments.planner;
  exports dev.kiln.experiments.control3diff;
  exports dev.kiln.experiments.mast;
  opens dev.kiln.experiments.agm to com.fasterxml.jackson.databind;
  opens dev.kiln.experiments.boot to com.fasterxml.jackson.databind;
  opens dev.kiln.experiments.ssdnerf to com.fasterxml.jackson.databind;
  opens dev.kiln.experiments.sigmareparam to com.fasterxml.jackson.databind;
  opens dev.kiln.experiments.hyperut to com.fasterxml.jackson.databind;
  opens dev.kiln.experiments.nerfdiff to com.fasterxml.jackson.databind;
  opens dev.kiln.experiments.control3diff to com.fasterxml.jackson.databind;
  opens dev.kiln.experiments.mast to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.Experiment with
      dev.kiln.experiments.samplers.SamplerNfeExperiment,
      dev.kiln.experiments.agm.AgmExperiment,
      dev.kiln.experiments.agm.AgmDigitsExperiment,
      dev.kiln.experiments.boot.BootExperiment,
      dev.kiln.experiments.boot.Boot8GaussiansExperiment,
      dev.kiln.experiments.ssdnerf.SsdNerfExperiment,
      dev.kiln.experiments.ssdnerf.SsdNerfLossBalance,
      dev.kiln.experiments.ssdnerf.SsdNerfLongExperiment,
      dev.kiln.experiments.sigmareparam.SigmaReparamLrSweep,
      dev.kiln.experiments.hyperut.HyperUtCpvrExperiment,
      dev.kiln.experiments.hyperut.HyperUtCpvrLongExperiment,
      dev.kiln.experiments.hyperut.HyperUVitMnistExperiment,
      dev.kiln.experiments.dpf.DpfExperiment,
      dev.kiln.experiments.dpf.DpfShortExperiment,
      dev.kiln.experiments.nerfdiff.NerfDiffExperiment,
      dev.kiln.experiments.planner.PlannerExperiment,
      dev.kiln.experiments.planner.PlannerSeedsExperiment,
      dev.kiln.experiments.control3diff.Control3DiffExperiment,
      dev.kiln.experiments.mast.MastExperiment;
}
