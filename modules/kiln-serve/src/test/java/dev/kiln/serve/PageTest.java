package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web page in headless Chromium: it loads, generates with the MNIST UNet and shows the image.
 * Runs when {@code chromium} is on PATH (Debian's package); skipped otherwise. The screenshot lands in
 * {@code target/serving-page.png} (the one in {@code docs/} is a copy).
 */
class PageTest {

  @Test
  void thePageGeneratesAndShowsTheImage() throws Exception {
    Path binary = Chromium.find();
    Assumptions.assumeTrue(binary != null, "chromium is not on PATH");
    try (InferenceServer server = Http.serve(ServeOptions.defaults());
        Chromium page = Chromium.open(binary, server.url() + "/?model=mnist-unet&steps=10&count=16&seed=4&autorun=1",
            1000, 620)) {
      String state = "";
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!state.equals("done") && !state.equals("error") && System.nanoTime() < deadline) {
        Thread.sleep(100);
        state = page.evaluate("document.body.dataset.state || ''");
      }
      assertThat(state).as(page.evaluate("document.getElementById('status').textContent")).isEqualTo("done");
      assertThat(page.evaluate("document.getElementById('result').src")).startsWith("blob:");
      assertThat(page.evaluate("String(document.getElementById('result').naturalWidth > 100)")).isEqualTo("true");
      assertThat(page.evaluate("document.getElementById('status').textContent"))
          .isEqualTo("16 samples, ddim, 10 steps, seed 4");
      Files.write(Path.of("target/serving-page.png"), page.screenshot(1000, 720));
    }
  }
}
