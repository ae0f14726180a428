package dev.kiln.nerf.render;

/**
 * Full-reference image quality on images with values in [0, 1], laid out {@code [3, H, W]}
 * (channel-major, as renders are stored): PSNR, and SSIM as scikit-image computes it
 * ({@code structural_similarity} with a 7×7 uniform window, K1 = 0.01, K2 = 0.03, data range 1,
 * sample covariances, averaged over channels and over the window positions that fit inside the image),
 * which is how pixelNeRF and SSDNeRF report it.
 */
public final class ImageQuality {

  private static final int WINDOW = 7;

  private ImageQuality() {}

  /** Peak signal-to-noise ratio −10·log10(MSE) in dB (data range 1); +∞ for identical images. */
  public static double psnr(float[] a, float[] b) {
    requireSameSize(a, b);
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      se += d * d;
    }
    return -10 * Math.log10(se / a.length);
  }

  /** Mean SSIM over the channels of two {@code [channels, height, width]} images. */
  public static double ssim(float[] a, float[] b, int channels, int height, int width) {
    requireSameSize(a, b);
    if (a.length != channels * height * width) {
      throw new IllegalArgumentException("images hold " + a.length + " values, not " + channels + "×" + height
          + "×" + width);
    }
    if (height < WINDOW || width < WINDOW) {
      throw new IllegalArgumentException("SSIM needs images of at least 7×7, got " + height + "×" + width);
    }
    double total = 0;
    for (int c = 0; c < channels; c++) {
      total += channelSsim(a, b, c * height * width, height, width);
    }
    return total / channels;
  }

  private static double channelSsim(float[] a, float[] b, int offset, int h, int w) {
    double c1 = 0.01 * 0.01;
    double c2 = 0.03 * 0.03;
    int np = WINDOW * WINDOW;
    double covNorm = np / (np - 1.0);
    double sum = 0;
    int count = 0;
    for (int y = 0; y + WINDOW <= h; y++) {
      for (int x = 0; x + WINDOW <= w; x++) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int dy = 0; dy < WINDOW; dy++) {
          for (int dx = 0; dx < WINDOW; dx++) {
            int i = offset + (y + dy) * w + x + dx;
            double va = a[i];
            double vb = b[i];
            sa += va;
            sb += vb;
            saa += va * va;
            sbb += vb * vb;
            sab += va * vb;
          }
        }
        double ua = sa / np;
        double ub = sb / np;
        double va = covNorm * (saa / np - ua * ua);
        double vb = covNorm * (sbb / np - ub * ub);
        double vab = covNorm * (sab / np - ua * ub);
        sum += (2 * ua * ub + c1) * (2 * vab + c2) / ((ua * ua + ub * ub + c1) * (va + vb + c2));
        count++;
      }
    }
    return sum / count;
  }

  private static void requireSameSize(float[] a, float[] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("images must be non-empty and equally sized, got " + a.length + " and "
          + b.length + " values");
    }
  }
}
