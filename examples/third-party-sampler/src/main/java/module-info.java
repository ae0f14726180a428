/** A Heun sampler for Kiln, provided through the SamplerProvider service. */
module com.example.heun {
  requires dev.kiln.spi;

  exports com.example.heun;
  opens com.example.heun to com.fasterxml.jackson.databind;

  provides dev.kiln.spi.SamplerProvider with com.example.heun.HeunProvider;
}
