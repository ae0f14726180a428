/**
 * Neural radiance fields in Kiln: cameras, stratified ray sampling and the volume renderer (a
 * {@link dev.kiln.spi.RendererProvider} with a graph face and a host face), triplane fields,
 * procedural multi-view scenes rendered by an analytic ray tracer, and SSDNeRF (single-stage
 * diffusion NeRF, arXiv 2304.06714), NerfDiff (NeRF-guided distillation from a 3D-aware
 * conditional diffusion model, arXiv 2302.10109) and Control3Diff (a triplane GAN trained on single views
 * with a controllable diffusion model over its latents, arXiv 2304.06700).
 */
module dev.kiln.nerf {
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.nn;
  requires transitive dev.kiln.train;
  requires transitive dev.kiln.diffusion;
  requires dev.kiln.viz;

  exports dev.kiln.nerf.render;
  opens dev.kiln.nerf.render to com.fasterxml.jackson.databind;
  exports dev.kiln.nerf.field;
  opens dev.kiln.nerf.field to com.fasterxml.jackson.databind;
  exports dev.kiln.nerf.scenes;
  opens dev.kiln.nerf.scenes to com.fasterxml.jackson.databind;

  exports dev.kiln.nerf.ssd;
  opens dev.kiln.nerf.ssd to com.fasterxml.jackson.databind;

  exports dev.kiln.nerf.nerfdiff;
  opens dev.kiln.nerf.nerfdiff to com.fasterxml.jackson.databind;
  exports dev.kiln.nerf.control3diff;
  opens dev.kiln.nerf.control3diff to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.RendererProvider with dev.kiln.nerf.render.VolumeRendererProvider;
  provides dev.kiln.spi.FolderModelProvider with dev.kiln.nerf.nerfdiff.NerfDiffFolderModels,
      dev.kiln.nerf.ssd.SsdNerfFolderModels, dev.kiln.nerf.control3diff.Control3DiffFolderModels;
  provides java.util.spi.ToolProvider with dev.kiln.nerf.nerfdiff.NerfDiffTool,
      dev.kiln.nerf.control3diff.Control3DiffTool, dev.kiln.nerf.ssd.SsdNerfTool;
}
