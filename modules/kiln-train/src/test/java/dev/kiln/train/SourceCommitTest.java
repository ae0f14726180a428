package dev.kiln.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceCommitTest {

  @Test
  void theRecordedCommitIsTheHeadOfTheCheckoutKilnWasBuiltIn() throws Exception {
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assumeTrue(git.waitFor() == 0 && head.matches("[0-9a-f]{40}"), "the tests run in a git checkout");
    assertThat(SourceCommit.current()).matches("[0-9a-f]{40}(-dirty)?").startsWith(head);
  }
}
