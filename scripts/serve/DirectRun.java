import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The baseline of scripts/serve/load.sh: the MNIST UNet's session run in a loop at batch 1, 8 and 32,
 * with the threads the server uses, so the server's overhead is its numbers against these.
 * Usage: java --module-path LIB --add-modules dev.kiln.serve DirectRun.java MODEL SECONDS
 */
public class DirectRun {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    double seconds = Double.parseDouble(args[1]);
    try (Session s = new OrtBackend(BackendOptions.defaults()).load(model)) {
      System.out.println("| batch | runs/s | rows/s | mean ms per run |");
      System.out.println("|---|---|---|---|");
      for (int n : new int[] {1, 8, 32}) {
        SplittableRandom rng = new SplittableRandom(0);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) rng.nextGaussian();
        }
        float[] t = new float[n];
        long[] label = new long[n];
        java.util.Arrays.fill(t, 500);
        java.util.Arrays.fill(label, 3);
        Map<String, Tensor> in = Map.of("x", Tensor.of(x, n, 1, 28, 28), "t", Tensor.of(t, n), "label",
            Tensor.ofLongs(label, n));
        for (int i = 0; i < 20; i++) {
          s.run(in);
        }
        long start = System.nanoTime();
        int runs = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
          s.run(in);
          runs++;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("| %d | %.1f | %.1f | %.3f |%n", n, runs / secs, runs * n / secs, 1000 * secs / runs);
      }
    }
  }
}
