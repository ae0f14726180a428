package dev.kiln.nerf.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Pinhole cameras in the OpenCV convention, looking at the origin. */
class CameraTest {

  @Test
  void orbitCameraSitsOnItsSphereAndLooksAtTheOrigin() {
    Camera cam = Camera.orbit(2.5, 70, 30, Intrinsics.fromFov(32, 32, 40));
    double[] p = cam.position();
    assertThat(Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2])).isCloseTo(2.5, within(1e-12));
    assertThat(p[2]).isCloseTo(2.5 * Math.sin(Math.toRadians(30)), within(1e-12));
    double[] centre = cam.direction(16, 16);
    for (int a = 0; a < 3; a++) {
      assertThat(centre[a]).isCloseTo(-p[a] / 2.5, within(1e-12));
    }
  }

  @Test
  void imageRowsGoDownAndColumnsGoRightAsInOpenCv() {
    Camera cam = Camera.orbit(3, 0, 0, Intrinsics.fromFov(16, 16, 40));
    // At azimuth 0 the camera is on +x looking at −x with z up: the top row looks up, and the
    // right-hand column looks towards +y (the camera's x axis is forward × up = (−1,0,0) × (0,0,1)).
    assertThat(cam.direction(8, 0)[2]).isPositive();
    assertThat(cam.direction(8, 16)[2]).isNegative();
    assertThat(cam.direction(16, 8)[1]).isPositive();
  }

  @Test
  void fieldOfViewSpansTheImageHeight() {
    Camera cam = Camera.orbit(3, 0, 0, Intrinsics.fromFov(16, 16, 40));
    double[] top = cam.direction(8, 0);
    double[] bottom = cam.direction(8, 16);
    double angle = Math.acos(top[0] * bottom[0] + top[1] * bottom[1] + top[2] * bottom[2]);
    assertThat(Math.toDegrees(angle)).isCloseTo(40, within(1e-9));
  }

  @Test
  void raysAreUnitLength() {
    Rays r = Camera.orbit(2.5, 10, 50, Intrinsics.fromFov(7, 5, 60)).rays();
    assertThat(r.count()).isEqualTo(35);
    for (int i = 0; i < r.count(); i++) {
      float[] d = r.directions();
      double n = Math.sqrt(d[3 * i] * d[3 * i] + d[3 * i + 1] * d[3 * i + 1] + d[3 * i + 2] * d[3 * i + 2]);
      assertThat(n).isCloseTo(1, within(1e-6));
    }
  }
}
