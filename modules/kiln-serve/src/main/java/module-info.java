/** The inference server behind {@code kiln serve}. */
module dev.kiln.serve {
  requires transitive dev.kiln.inference;
  requires dev.kiln.viz;
  requires org.eclipse.jetty.server;
  requires io.prometheus.metrics.core;
  requires io.prometheus.writer.text;
  requires io.prometheus.metrics.model;
  requires java.net.http;

  uses dev.kiln.spi.SamplerProvider;

  exports dev.kiln.serve;
}
