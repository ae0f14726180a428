package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java client against a server that requires a bearer token. */
class ClientAndTokenTest {

  @Test
  void theClientInfersAndGeneratesWithTheTokenAndNothingPassesWithout() throws Exception {
    try (InferenceServer server = Http.serve(ServeOptions.defaults().withToken("s3cret"))) {
      KilnClient client = new KilnClient(server.url(), "s3cret");
      assertThat(client.ready()).isTrue();
      assertThat(client.metadata("quickstart-8gaussians").get("inputs")).hasSize(2);
      Map<String, Tensor> in = Map.of("x", Tensor.of(new float[] {0.5f, -0.5f}, 1, 2), "t",
          Tensor.of(new float[] {10}, 1));
      Tensor out = client.infer("quickstart-8gaussians", in).get("out");
      assertThat(out.contentEquals(server.repository().get("quickstart-8gaussians").session().run(in).get("out")))
          .isTrue();
      Tensor samples = client.generate("mnist-unet", Map.of("steps", 2, "count", 3, "seed", 9)).get("samples");
      assertThat(samples.shape()).containsExactly(3, 1, 28, 28);

      KilnClient anonymous = new KilnClient(server.url(), null);
      assertThat(anonymous.ready()).as("health needs no token").isTrue();
      assertThatThrownBy(() -> anonymous.infer("quickstart-8gaussians", in)).isInstanceOfSatisfying(
          ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
      ProtocolTest.assertError(Http.get(server.url() + "/metrics", "Authorization", "Bearer wrong"), 401, "Bearer");
    }
  }
}
