package dev.kiln.nerf.scenes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analytic ray tracer: hits, depth, silhouettes and shading. */
class RayTracerTest {

  private static final double[] GREY = {0.5, 0.5, 0.5};

  @Test
  void sphereSeenHeadOnHasItsNearSurfaceAtDistanceMinusRadius() {
    Scene scene = new Scene(Category.SHAPES, List.of(new Primitive.Sphere(new double[] {0, 0, 0}, 0.5, GREY)));
    View v = new RayTracer(1).render(scene, Camera.orbit(2.5, 0, 0, Intrinsics.fromFov(33, 33, 40)));
    int centre = 16 * 33 + 16;
    assertThat(v.depth()[centre]).isCloseTo(2.0f, within(1e-5f));
    assertThat(v.objectId()[centre]).isZero();
    assertThat(v.objectId()[0]).isEqualTo(-1);
    assertThat(v.color(0, 0)).as("background is white").isEqualTo(1f);
  }

  @Test
  void sphereSilhouetteCoversItsProjectedDisc() {
    double radius = 0.6;
    double dist = 2.5;
    int size = 64;
    Intrinsics in = Intrinsics.fromFov(size, size, 40);
    Scene scene = new Scene(Category.SHAPES, List.of(new Primitive.Sphere(new double[] {0, 0, 0}, radius, GREY)));
    View v = new RayTracer(1).render(scene, Camera.orbit(dist, 45, 20, in));
    long covered = Arrays.stream(v.objectId()).filter(id -> id == 0).count();
    // The silhouette is a cone of half-angle asin(r/d); its image is a disc of radius f·tan(asin(r/d)).
    double pixelRadius = in.fx() * Math.tan(Math.asin(radius / dist));
    double expected = Math.PI * pixelRadius * pixelRadius;
    assertThat((double) covered).isCloseTo(expected, within(0.03 * expected));
  }

  @Test
  void boxAndCylinderFacesGetOutwardNormals() {
    double[] n = new double[3];
    Primitive box = new Primitive.Box(new double[] {0, 0, 0}, new double[] {0.5, 0.3, 0.2}, Math.PI / 2, GREY);
    // Turned a quarter turn, the box's long axis lies along y: a ray down −x hits its 0.3 face.
    double t = box.intersect(new double[] {2, 0, 0}, new double[] {-1, 0, 0}, n);
    assertThat(t).isCloseTo(1.7, within(1e-9));
    assertThat(n[0]).isCloseTo(1, within(1e-9));
    Primitive cyl = new Primitive.Cylinder(new double[] {0, 0, 0}, 0.25, 0.4, 2, GREY);
    assertThat(cyl.intersect(new double[] {0, 0, 2}, new double[] {0, 0, -1}, n)).isCloseTo(1.6, within(1e-9));
    assertThat(n[2]).isCloseTo(1, within(1e-9));
    assertThat(cyl.intersect(new double[] {0, -2, 0}, new double[] {0, 1, 0}, n)).isCloseTo(1.75, within(1e-9));
    assertThat(n[1]).isCloseTo(-1, within(1e-9));
  }

  @Test
  void lambertShadingDependsOnTheSurfaceNotTheViewer() {
    Scene scene = new Scene(Category.SHAPES, List.of(new Primitive.Box(new double[] {0, 0, 0},
        new double[] {0.4, 0.4, 0.4}, 0, GREY)));
    double[] a = new double[3];
    double[] b = new double[3];
    // Two rays hitting the top face (normal +z) from different directions see the same colour.
    scene.trace(new double[] {0, 0, 3}, new double[] {0, 0, -1}, a);
    double s = Math.sqrt(0.5);
    scene.trace(new double[] {-2.9, 0, 3.3}, new double[] {s, 0, -s}, b);
    assertThat(b[0]).isCloseTo(a[0], within(1e-12));
    assertThat(a[0]).isBetween(0.5 * Scene.AMBIENT, 0.5);
  }
}
