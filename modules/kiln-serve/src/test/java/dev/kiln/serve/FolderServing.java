package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Concurrent against lone generate answers of a served model, as the folder-model generate tests check them. */
final class FolderServing {

  private FolderServing() {}

  /** A request's answer as the test compares it. */
  @FunctionalInterface
  interface Answer {
    Object of(HttpResponse<byte[]> response) throws Exception;
  }

  /** Model calls and ONNX Runtime runs the server counted while the requests ran together. */
  record Counted(double calls, double runs) {}

  /**
   * Posts every body to {@code model}'s generate one at a time, then all at once, and checks that each
   * concurrent answer equals the lone one.
   */
  static Counted aloneThenTogether(InferenceServer server, String model, String[] bodies, Answer answer)
      throws Exception {
    String url = server.url() + "/v2/models/" + model + "/generate";
    List<Object> alone = new ArrayList<>();
    for (String b : bodies) {
      alone.add(answer.of(Http.post(url, b)));
    }
    String metrics = server.url() + "/metrics";
    double calls = counter(metrics, "kiln_inference_count_total", model);
    double runs = counter(metrics, "kiln_inference_exec_count_total", model);
    ExecutorService pool = Executors.newFixedThreadPool(bodies.length);
    try {
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      for (String b : bodies) {
        answers.add(pool.submit(() -> Http.post(url, b)));
      }
      for (int i = 0; i < bodies.length; i++) {
        assertThat(answer.of(answers.get(i).get())).as(bodies[i]).isEqualTo(alone.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
    return new Counted(counter(metrics, "kiln_inference_count_total", model) - calls,
        counter(metrics, "kiln_inference_exec_count_total", model) - runs);
  }

  private static double counter(String metrics, String name, String model) throws Exception {
    return BatchingTest.metric(new String(Http.get(metrics).body(), StandardCharsets.UTF_8),
        name + "\\{model=\"" + model + "\"}");
  }
}
