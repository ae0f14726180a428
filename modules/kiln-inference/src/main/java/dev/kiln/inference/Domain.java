package dev.kiln.inference;

import java.util.Locale;

/**
 * Where a field's coordinates live: the closed set of metric spaces Kiln's fields are drawn on, each
 * with its grid at a resolution and its coordinate width D. Coordinates are never noised; a
 * {@link CoordinateEncoding} turns them into features inside the denoiser.
 *
 * <ul>
 *   <li>{@link Plane}: pixel centres (u, v) ∈ [−1, 1]², row-major, u across, v down; grid r × r.
 *   <li>{@link Volume}: voxel centres (x, y, z) ∈ [−1, 1]³, z slowest then y then x; grid r × r × r.
 *   <li>{@link Sphere}: unit vectors on S² at the centres of an equiangular latitude–longitude grid of
 *       r latitudes (north first) × 2r longitudes; z is the polar axis.
 * </ul>
 */
public sealed interface Domain permits Domain.Plane, Domain.Volume, Domain.Sphere {

  /** The recipe and metadata spelling: {@code plane}, {@code volume}, {@code sphere}. */
  String id();

  /** Coordinate width D. */
  int dimension();

  /** The shape of the grid at {@code resolution}: [r, r], [r, r, r] or [r, 2r]. */
  int[] gridShape(int resolution);

  /** Grid points at {@code resolution}: [P·D] row-major, P the product of {@link #gridShape}. */
  double[] grid(int resolution);

  /** Number of grid points at {@code resolution}. */
  default int pairs(int resolution) {
    int p = 1;
    for (int s : gridShape(resolution)) {
      p *= s;
    }
    return p;
  }

  /** The 2-D plane [−1, 1]². */
  record Plane() implements Domain {
    @Override
    public String id() {
      return "plane";
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public int[] gridShape(int r) {
      return new int[] {r, r};
    }

    @Override
    public double[] grid(int r) {
      double[] c = new double[r * r * 2];
      for (int row = 0; row < r; row++) {
        for (int col = 0; col < r; col++) {
          c[2 * (row * r + col)] = centre(col, r);
          c[2 * (row * r + col) + 1] = centre(row, r);
        }
      }
      return c;
    }
  }

  /** The cube [−1, 1]³. */
  record Volume() implements Domain {
    @Override
    public String id() {
      return "volume";
    }

    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public int[] gridShape(int r) {
      return new int[] {r, r, r};
    }

    @Override
    public double[] grid(int r) {
      double[] c = new double[r * r * r * 3];
      int i = 0;
      for (int z = 0; z < r; z++) {
        for (int y = 0; y < r; y++) {
          for (int x = 0; x < r; x++) {
            c[i++] = centre(x, r);
            c[i++] = centre(y, r);
            c[i++] = centre(z, r);
          }
        }
      }
      return c;
    }
  }

  /** The unit sphere S² ⊂ ℝ³. */
  record Sphere() implements Domain {
    @Override
    public String id() {
      return "sphere";
    }

    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public int[] gridShape(int r) {
      return new int[] {r, 2 * r};
    }

    @Override
    public double[] grid(int r) {
      double[] c = new double[r * 2 * r * 3];
      int i = 0;
      for (int lat = 0; lat < r; lat++) {
        double theta = Math.PI * (lat + 0.5) / r;
        for (int lon = 0; lon < 2 * r; lon++) {
          double phi = Math.PI * (lon + 0.5) / r - Math.PI;
          c[i++] = Math.sin(theta) * Math.cos(phi);
          c[i++] = Math.sin(theta) * Math.sin(phi);
          c[i++] = Math.cos(theta);
        }
      }
      return c;
    }
  }

  /** Parses {@code plane}, {@code volume} or {@code sphere} (any case); {@code field} names the recipe field. */
  static Domain parse(String id, String field) {
    String s = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "plane" -> new Plane();
      case "volume" -> new Volume();
      case "sphere" -> new Sphere();
      default -> throw new IllegalArgumentException("field `" + field + "` must be plane, volume or sphere, got `" + id
          + "`");
    };
  }

  /** The centre of cell {@code i} of {@code r} equal cells of [−1, 1]. */
  private static double centre(int i, int r) {
    return (2 * i + 1.0) / r - 1;
  }
}
