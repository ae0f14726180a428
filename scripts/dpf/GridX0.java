import dev.kiln.diffusion.fields.FieldData;
import dev.kiln.graph.DType;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference for DPF's context use (`kiln eval` on a field model): the one-step x̂₀ error of a grid
 * ε-prediction model of MNIST (the DPF study's UNet baseline, x [N, 1, 28, 28], t [N]) on 64 held-out
 * digits noised at 0.3 T, 0.5 T and 0.7 T of the cosine schedule, the digits and noise drawn as
 * FieldMetrics.contextUse draws them for the same seed. The grid model sees every noisy pixel, as a
 * field model whose context is the whole grid does.
 * Usage: java --module-path LIB --add-modules dev.kiln.diffusion GridX0.java MODEL [SEED]
 */
public class GridX0 {
  public static void main(String[] args) throws Exception {
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 0;
    int n = 64;
    FieldData data = FieldData.of("mnist", 28, n);
    int p = data.pairs();
    double[] y0 = new double[n * p];
    data.reference(seed, n, true, y0);
    NoiseSchedule schedule = NoiseSchedule.of(1000, 1e-4, 0.02, BetaSchedule.SQUAREDCOS_CAP_V2, null, false);
    try (Session s = new OrtBackend(BackendOptions.cpu(1)).load(Path.of(args[0]))) {
      StringBuilder line = new StringBuilder("grid model, one-step x0 MSE of 64 held-out digits:");
      for (int t : new int[] {300, 500, 700}) {
        SplittableRandom rng = Seeds.rng(seed, "context-use", t);
        double a = Math.sqrt(schedule.alphaCumprod(t));
        double sg = Math.sqrt(1 - schedule.alphaCumprod(t));
        Tensor x = Tensor.zeros(DType.FLOAT, n, 1, 28, 28);
        double[] yt = new double[n * p];
        for (int i = 0; i < n * p; i++) {
          yt[i] = a * y0[i] + sg * rng.nextGaussian();
          x.set(i, yt[i]);
        }
        Tensor time = Tensor.zeros(DType.FLOAT, n);
        for (int i = 0; i < n; i++) {
          time.set(i, t);
        }
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("x", x);
        in.put("t", time);
        Tensor eps = s.run(in).get("out");
        double e = 0;
        for (int i = 0; i < n * p; i++) {
          double x0 = Math.max(-1, Math.min(1, (yt[i] - sg * eps.get(i)) / a));
          e += (x0 - y0[i]) * (x0 - y0[i]);
        }
        line.append(String.format(Locale.ROOT, " t=%d %.4f;", t, e / ((double) n * p)));
      }
      System.out.println(line);
    }
  }
}
