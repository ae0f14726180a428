package dev.kiln.conformance.tck;

import dev.kiln.graph.onnx.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opentest4j.TestAbortedException;

/** Results of TCK checks, written as JUnit XML (one file per provider) and summarised in plain words. */
final class TckReport {

  private TckReport() {}

  /** A check that throws {@link AssertionError} on failure. */
  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }

  /** One check's outcome: passed, skipped (with why) or failed (with the message). */
  record Outcome(String name, String status, String message, double seconds) {}

  /** The checks of one provider. */
  static final class Suite {
    final String name;
    final String className;
    final List<Outcome> outcomes = new ArrayList<>();

    Suite(String name, String className) {
      this.name = name;
      this.className = className;
    }

    void run(String check, Check c) {
      long start = System.nanoTime();
      String status = "passed";
      String message = null;
      try {
        c.run();
      } catch (TestAbortedException e) {
        status = "skipped";
        message = e.getMessage();
      } catch (AssertionError | Exception e) {
        status = "failed";
        message = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      outcomes.add(new Outcome(check, status, message, (System.nanoTime() - start) / 1e9));
    }

    boolean passed() {
      return outcomes.stream().noneMatch(o -> o.status().equals("failed"));
    }

    String summary() {
      long failed = outcomes.stream().filter(o -> o.status().equals("failed")).count();
      long skipped = outcomes.stream().filter(o -> o.status().equals("skipped")).count();
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s (%s): %s", name, className,
          failed == 0 ? "conforms (" + (outcomes.size() - skipped) + " checks passed"
              + (skipped > 0 ? ", " + skipped + " skipped" : "") + ")" : "DOES NOT CONFORM (" + failed + " of "
              + outcomes.size() + " checks failed)"));
      for (Outcome o : outcomes) {
        if (!o.status().equals("passed")) {
          sb.append("\n  ").append(o.status().equals("failed") ? "✗ " : "– ").append(o.name()).append(": ")
              .append(o.message().strip().replace("\n", "\n    "));
        }
      }
      return sb.toString();
    }
  }

  static void writeXml(Path dir, List<Suite> suites) throws IOException {
    Files.createDirectories(dir);
    for (Suite s : suites) {
      StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
      long failures = s.outcomes.stream().filter(o -> o.status().equals("failed")).count();
      long skipped = s.outcomes.stream().filter(o -> o.status().equals("skipped")).count();
      double time = s.outcomes.stream().mapToDouble(Outcome::seconds).sum();
      x.append(String.format(Locale.ROOT,
          "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
          esc("tck." + s.name), s.outcomes.size(), failures, skipped, time));
      for (Outcome o : s.outcomes) {
        x.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", esc(s.className),
            esc(o.name()), o.seconds()));
        if (o.status().equals("passed")) {
          x.append("/>\n");
        } else if (o.status().equals("skipped")) {
          x.append(">\n    <skipped message=\"").append(esc(o.message())).append("\"/>\n  </testcase>\n");
        } else {
          x.append(">\n    <failure message=\"").append(esc(o.message())).append("\"/>\n  </testcase>\n");
        }
      }
      x.append("</testsuite>\n");
      String file = "TEST-tck-" + s.name.replaceAll("[^A-Za-z0-9.-]+", "-") + ".xml";
      AtomicFiles.write(dir.resolve(file), x.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("\n", "&#10;");
  }
}
