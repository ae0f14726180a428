package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A bug is reported as one: one line, exit 70, its trace in a log file, or on stderr with --debug. */
class ErrorBoundaryTest {

  @Test
  void aBugSaysSoAndKeepsItsTraceInALogFile() throws Exception {
    StringWriter err = new StringWriter();
    int code = ErrorBoundary.report(new NullPointerException("boom"), "kiln train", new PrintWriter(err), false);
    assertThat(code).isEqualTo(ErrorBoundary.BUG);
    assertThat(err.toString()).startsWith("kiln train: internal error, a bug in Kiln").contains("boom")
        .doesNotContain("\tat ");
    String log = err.toString().replaceAll("(?s).*the stack trace is in (\\S+);.*", "$1");
    assertThat(Files.readString(Path.of(log))).contains("NullPointerException: boom").contains("\tat ");
    Files.delete(Path.of(log));
  }

  @Test
  void debugPrintsTheTrace() {
    StringWriter err = new StringWriter();
    ErrorBoundary.report(new IllegalStateException("bug"), "kiln sample", new PrintWriter(err), true);
    assertThat(err.toString()).contains("internal error").contains("\tat ");
  }

  @Test
  void aResourceLimitIsTheUsersToFix() {
    StringWriter err = new StringWriter();
    int code = ErrorBoundary.report(new OutOfMemoryError("Java heap space"), "kiln sample", new PrintWriter(err),
        false);
    assertThat(code).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(err.toString()).contains("ran out of memory").contains("JAVA_OPTS=-Xmx");
  }
}
