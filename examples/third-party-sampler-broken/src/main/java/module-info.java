/** A deliberately broken Heun sampler: the conformance suite must reject it. */
module com.example.heun.broken {
  requires dev.kiln.spi;

  exports com.example.heun.broken;
  opens com.example.heun.broken to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.SamplerProvider with com.example.heun.broken.BrokenHeunProvider;
}
