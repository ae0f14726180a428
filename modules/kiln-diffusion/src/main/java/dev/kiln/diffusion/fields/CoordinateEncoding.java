package dev.kiln.diffusion.fields;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.inference.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Features of coordinates {@code m [N, P, D]}, computed inside the denoiser's graph (so an exported
 * model takes raw coordinates):
 *
 * <ul>
 *   <li>{@link Kind#FOURIER}, any domain: {@code [m, sin(2^k·π·m), cos(2^k·π·m)]} for k = 0 … F−1
 *       (Tancik et al.'s Fourier features with octave frequencies); on the sphere with F = 0 it is the
 *       3-D unit vector itself. Width {@code D·(1 + 2F)}.
 *   <li>{@link Kind#HARMONICS}, the sphere only: the real spherical harmonics {@code Y_l^m(m)} of degree
 *       l ≤ L, orthonormal on S² (no Condon–Shortley phase), from the polynomial recursion
 *       {@code P̃_l^m = ((2l−1)·z·P̃_{l−1}^m − (l+m−1)·P̃_{l−2}^m)/(l−m)} times the real and imaginary
 *       parts of {@code (x + iy)^m}. Width {@code (L + 1)²}.
 * </ul>
 *
 * @param kind which features
 * @param frequencies F, the octaves of Fourier features
 * @param degree L, the largest harmonic degree
 */
public record CoordinateEncoding(Kind kind, int frequencies, int degree) {

  /** The two feature families. */
  public enum Kind {
    FOURIER, HARMONICS;

    /** {@code fourier} or {@code harmonics}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
          return k;
        }
      }
      throw new IllegalArgumentException("field `encoding` must be fourier or harmonics, got `" + s + "`");
    }
  }

  public CoordinateEncoding {
    if (frequencies < 0 || frequencies > 16) {
      throw new IllegalArgumentException("field `frequencies` must be in [0, 16], got " + frequencies);
    }
    if (degree < 0 || degree > 12) {
      throw new IllegalArgumentException("field `harmonic_degree` must be in [0, 12], got " + degree);
    }
  }

  /** Parses the recipe spelling and checks it fits {@code domain}. */
  public static CoordinateEncoding of(String kind, int frequencies, int degree, Domain domain) {
    CoordinateEncoding e = new CoordinateEncoding(Kind.parse(kind), frequencies, degree);
    if (e.kind == Kind.HARMONICS && !(domain instanceof Domain.Sphere)) {
      throw new IllegalArgumentException("encoding `harmonics` is for the sphere; domain `" + domain.id()
          + "` takes `fourier`");
    }
    return e;
  }

  /** Feature width for coordinates of {@code domain}. */
  public long width(Domain domain) {
    return kind == Kind.FOURIER ? (long) domain.dimension() * (1 + 2L * frequencies) : (long) (degree + 1) * (degree + 1);
  }

  /** m [N, P, D] → features [N, P, width]. */
  public Value apply(Graph g, Value m, Domain domain) {
    return kind == Kind.FOURIER ? fourier(g, m, domain.dimension()) : harmonics(g, m);
  }

  private Value fourier(Graph g, Value m, int d) {
    if (frequencies == 0) {
      return m;
    }
    // One MatMul puts 2^k·π·m_j at column j·F + k.
    double[] b = new double[d * d * frequencies];
    for (int j = 0; j < d; j++) {
      for (int k = 0; k < frequencies; k++) {
        b[j * d * frequencies + j * frequencies + k] = Math.PI * Math.pow(2, k);
      }
    }
    Value args = g.matMul(m, g.constant(m.dtype(), Shape.of(d, (long) d * frequencies), b));
    // cos a = sin(a + π/2): ONNX Runtime has a float64 Sin kernel but no float64 Cos.
    return g.concat(2, m, g.sin(args), g.sin(g.add(args, Math.PI / 2)));
  }

  private Value harmonics(Graph g, Value m) {
    Value x = g.slice(m, 2, 0, 1);
    Value y = g.slice(m, 2, 1, 2);
    Value z = g.slice(m, 2, 2, 3);
    Value one = g.add(g.mul(z, 0), 1);
    int l1 = degree + 1;
    // cos[mm], sin[mm]: real and imaginary parts of (x + iy)^mm.
    Value[] cos = new Value[l1];
    Value[] sin = new Value[l1];
    cos[0] = one;
    sin[0] = g.mul(z, 0);
    for (int mm = 1; mm < l1; mm++) {
      cos[mm] = g.sub(g.mul(x, cos[mm - 1]), g.mul(y, sin[mm - 1]));
      sin[mm] = g.add(g.mul(x, sin[mm - 1]), g.mul(y, cos[mm - 1]));
    }
    List<Value> features = new ArrayList<>();
    Value[][] p = new Value[l1][l1];
    for (int mm = 0; mm < l1; mm++) {
      p[mm][mm] = g.mul(one, doubleFactorial(2 * mm - 1));
      if (mm + 1 < l1) {
        p[mm + 1][mm] = g.mul(z, (2 * mm + 1) * doubleFactorial(2 * mm - 1));
      }
      for (int l = mm + 2; l < l1; l++) {
        p[l][mm] = g.div(g.sub(g.mul(g.mul(z, p[l - 1][mm]), 2 * l - 1), g.mul(p[l - 2][mm], l + mm - 1)), l - mm);
      }
    }
    for (int l = 0; l < l1; l++) {
      for (int mm = -l; mm <= l; mm++) {
        int a = Math.abs(mm);
        double k = Math.sqrt((2 * l + 1) / (4 * Math.PI) * factorialRatio(l - a, l + a));
        if (mm == 0) {
          features.add(g.mul(p[l][0], k));
        } else {
          features.add(g.mul(g.mul(p[l][a], mm > 0 ? cos[a] : sin[a]), Math.sqrt(2) * k));
        }
      }
    }
    return g.concat(2, features);
  }

  /** n!! for odd n; 1 for n ≤ 1. */
  private static double doubleFactorial(int n) {
    double f = 1;
    for (int i = n; i > 1; i -= 2) {
      f *= i;
    }
    return f;
  }

  /** a! / b! for a ≤ b. */
  private static double factorialRatio(int a, int b) {
    double r = 1;
    for (int i = a + 1; i <= b; i++) {
      r /= i;
    }
    return r;
  }
}
