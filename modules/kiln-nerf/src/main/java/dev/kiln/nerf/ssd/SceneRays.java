package dev.kiln.nerf.ssd;

import dev.kiln.nerf.render.Rays;
import dev.kiln.nerf.scenes.View;
import java.util.List;
import java.util.random.RandomGenerator;

/** Every pixel ray of some views of one scene, with its colour: the pool training rays are drawn from. */
public final class SceneRays {

  private final float[] origins;
  private final float[] directions;
  private final float[] colors;

  public SceneRays(List<View> views) {
    int total = views.stream().mapToInt(v -> v.width() * v.height()).sum();
    origins = new float[3 * total];
    directions = new float[3 * total];
    colors = new float[3 * total];
    int at = 0;
    for (View v : views) {
      Rays r = v.camera().rays();
      System.arraycopy(r.origins(), 0, origins, 3 * at, r.origins().length);
      System.arraycopy(r.directions(), 0, directions, 3 * at, r.directions().length);
      for (int p = 0; p < r.count(); p++) {
        for (int c = 0; c < 3; c++) {
          colors[3 * (at + p) + c] = v.color(p, c);
        }
      }
      at += r.count();
    }
  }

  public int size() {
    return origins.length / 3;
  }

  /** {@code count} rays drawn uniformly with replacement. */
  public int[] draw(int count, RandomGenerator rng) {
    int[] idx = new int[count];
    for (int i = 0; i < count; i++) {
      idx[i] = rng.nextInt(size());
    }
    return idx;
  }

  /** The rays at {@code idx}. */
  public Rays rays(int[] idx) {
    float[] o = new float[3 * idx.length];
    float[] d = new float[3 * idx.length];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(origins, 3 * idx[i], o, 3 * i, 3);
      System.arraycopy(directions, 3 * idx[i], d, 3 * i, 3);
    }
    return new Rays(o, d);
  }

  /** Colour channel {@code c} of ray {@code i}. */
  public float color(int i, int c) {
    return colors[3 * i + c];
  }
}
