/**
 * Diffusion models in Kiln: noise schedules, samplers found through
 * {@link dev.kiln.spi.SamplerProvider}, denoiser architectures, the diffusion task and metrics;
 * diffusion probabilistic fields ({@code dev.kiln.diffusion.fields}, DPF).
 */
module dev.kiln.diffusion {
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.inference;
  requires transitive dev.kiln.nn;
  requires transitive dev.kiln.data;
  requires transitive dev.kiln.vision;
  requires dev.kiln.train;

  exports dev.kiln.diffusion.arch;
  opens dev.kiln.diffusion.arch to com.fasterxml.jackson.databind;
  provides dev.kiln.spi.ArchitectureProvider with
      dev.kiln.diffusion.arch.MlpDenoiserProvider,
      dev.kiln.diffusion.arch.UNetProvider,
      dev.kiln.diffusion.arch.MlpImageDenoiserProvider,
      dev.kiln.diffusion.agm.AgmMlpProvider,
      dev.kiln.diffusion.agm.FlatMlpDenoiserProvider,
      dev.kiln.diffusion.fields.PerceiverIoProvider;
  exports dev.kiln.diffusion.task;
  opens dev.kiln.diffusion.task to com.fasterxml.jackson.databind;
  provides dev.kiln.spi.TaskProvider with dev.kiln.diffusion.task.DiffusionTaskProvider,
      dev.kiln.diffusion.boot.BootTaskProvider,
      dev.kiln.diffusion.agm.AgmTaskProvider,
      dev.kiln.diffusion.fields.FieldTaskProvider;
  exports dev.kiln.diffusion.eval;
  exports dev.kiln.diffusion.metrics;
  exports dev.kiln.diffusion.samplers;
  opens dev.kiln.diffusion.samplers to com.fasterxml.jackson.databind;
  provides dev.kiln.spi.SamplerProvider with
      dev.kiln.diffusion.samplers.DdpmProvider,
      dev.kiln.diffusion.samplers.DdimProvider,
      dev.kiln.diffusion.samplers.EulerProvider,
      dev.kiln.diffusion.samplers.EulerAncestralProvider,
      dev.kiln.diffusion.samplers.DpmSolverProvider,
      dev.kiln.diffusion.samplers.DpmSolverSdeProvider,
      dev.kiln.diffusion.samplers.UniPcProvider,
      dev.kiln.diffusion.boot.BootSamplerProvider,
      dev.kiln.diffusion.agm.EulerMaruyamaProvider,
      dev.kiln.diffusion.agm.SscsProvider,
      dev.kiln.diffusion.agm.GddimProvider;
  exports dev.kiln.diffusion.boot;
  opens dev.kiln.diffusion.boot to com.fasterxml.jackson.databind;
  exports dev.kiln.diffusion.fields;
  opens dev.kiln.diffusion.fields to com.fasterxml.jackson.databind;
  exports dev.kiln.diffusion.agm;
  opens dev.kiln.diffusion.agm to com.fasterxml.jackson.databind;
}
