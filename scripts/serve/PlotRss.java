import dev.kiln.viz.LinePlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Plots scripts/serve/soak.sh's minute,rss_kb samples. Usage: java ... PlotRss.java CSV PNG */
public class PlotRss {
  public static void main(String[] args) throws Exception {
    List<String> rows = Files.readAllLines(Path.of(args[0])).stream().skip(1).filter(l -> !l.isBlank()).toList();
    double[] minute = new double[rows.size()];
    double[] mib = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).split(",");
      minute[i] = Double.parseDouble(f[0]);
      mib[i] = Double.parseDouble(f[1]) / 1024;
    }
    LinePlot.titled("kiln serve soak: resident memory").withLabels("minute", "RSS (MiB)")
        .write(Path.of(args[1]), new LinePlot.Series("RSS", minute, mib));
  }
}
