package dev.kiln.nerf.render;

/**
 * A batch of rays {@code o + t·d} with unit directions, so {@code t} is a world distance.
 *
 * @param origins [R, 3] row-major
 * @param directions [R, 3] row-major, unit length
 */
public record Rays(float[] origins, float[] directions) {

  public Rays {
    if (origins.length != directions.length || origins.length % 3 != 0) {
      throw new IllegalArgumentException("origins and directions must both be [R, 3], got " + origins.length
          + " and " + directions.length + " values");
    }
  }

  /** Number of rays R. */
  public int count() {
    return origins.length / 3;
  }
}
