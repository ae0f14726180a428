package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import org.junit.jupiter.api.Test;

class CameraAlignedPointsTest {

  private static final Camera CAMERA = Camera.orbit(2.5, 40, 20, Intrinsics.fromFov(16, 16, 45));

  @Test
  void aPointOnAPixelRayLandsOnThatPixelOfTheImagePlane() {
    double[] o = CAMERA.position();
    double[] d = CAMERA.direction(4.5, 11.5);
    float[] world = new float[3];
    for (int a = 0; a < 3; a++) {
      world[a] = (float) (o[a] + 2.1 * d[a]);
    }
    float[] p = CameraAlignedPoints.align(CAMERA, world);
    // Pixel centre 4.5 of 16 in align_corners=0 coordinates: 2·4.5/16 − 1.
    assertThat((double) p[0]).isCloseTo(2 * 4.5 / 16 - 1, within(1e-5));
    assertThat((double) p[1]).isCloseTo(2 * 11.5 / 16 - 1, within(1e-5));
  }

  @Test
  void depthIsZeroAtTheOriginAndSpansTheSceneBox() {
    float[] origin = CameraAlignedPoints.align(CAMERA, new float[] {0, 0, 0});
    assertThat((double) origin[0]).isCloseTo(0, within(1e-6));
    assertThat((double) origin[1]).isCloseTo(0, within(1e-6));
    assertThat((double) origin[2]).isCloseTo(0, within(1e-6));
    double[] o = CAMERA.position();
    double r = Math.sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
    double s = Math.sqrt(3) / r;
    // The far corner of the box along the optical axis sits at depth r + √3, which maps to 1.
    float[] far = CameraAlignedPoints.align(CAMERA, new float[] {(float) (-o[0] * s), (float) (-o[1] * s),
        (float) (-o[2] * s)});
    assertThat((double) far[2]).isCloseTo(1, within(1e-5));
  }

  @Test
  void theSameWorldPointHasDifferentCoordinatesInAnotherInputCamera() {
    Camera other = Camera.orbit(2.5, 130, 20, Intrinsics.fromFov(16, 16, 45));
    float[] world = {0.4f, -0.2f, 0.3f};
    float[] a = CameraAlignedPoints.align(CAMERA, world);
    float[] b = CameraAlignedPoints.align(other, world);
    assertThat(Math.abs(a[0] - b[0]) + Math.abs(a[2] - b[2])).isGreaterThan(0.1f);
  }
}
