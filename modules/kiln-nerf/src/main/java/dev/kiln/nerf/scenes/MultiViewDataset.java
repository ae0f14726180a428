package dev.kiln.nerf.scenes;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.runtime.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A procedural multi-view dataset made by {@link RayTracer}: scenes from {@link SceneGenerator},
 * seen by look-at-origin pinhole cameras on a sphere (world z up; radius 2.5 and a 45° field of view
 * by default, which frames the cars and chairs whole). The split is fixed by the
 * config: the first {@code train_scenes} scenes are for training, each seen from
 * {@code train_views} random cameras on the upper hemisphere (elevation 5°–70°); the next
 * {@code test_scenes} are unseen test scenes, each with three input views (azimuth 30°, 150°, 270°
 * at 15° elevation; reconstruction from one view uses the first) and eight held-out views on a ring
 * at 30° elevation (azimuth 0°, 45°, …, 315°). Scene {@code i} is drawn from stream
 * {@code (seed, "scene", i)}, so the set does not depend on how many scenes are made.
 *
 * @param config sizes and seed
 * @param train training scenes (inputs = the training views, no held-out views)
 * @param test test scenes (inputs = the three input views, held-out = the eight ring views)
 */
public record MultiViewDataset(Config config, List<SceneViews> train, List<SceneViews> test) {

  /** Input views of a test scene (azimuths in degrees) and their elevation. */
  public static final double[] INPUT_AZIMUTHS = {30, 150, 270};
  public static final double INPUT_ELEVATION = 15;
  public static final double HELD_OUT_ELEVATION = 30;
  public static final int HELD_OUT_VIEWS = 8;

  /**
   * @param categories categories, assigned to scenes in turn
   * @param trainScenes number of training scenes
   * @param testScenes number of unseen test scenes
   * @param trainViews views per training scene
   * @param imageSize image side in pixels
   * @param fovDegrees vertical field of view
   * @param cameraRadius distance of the cameras from the origin
   * @param supersample anti-aliasing rays per pixel side
   * @param seed the dataset's seed (fixed: it defines the split)
   */
  public record Config(List<Category> categories, Integer trainScenes, Integer testScenes, Integer trainViews,
      Integer imageSize, Double fovDegrees, Double cameraRadius, Integer supersample, Long seed) {
    public Config {
      categories = categories == null ? List.of(Category.TOYCAR, Category.CHAIR) : List.copyOf(categories);
      trainScenes = trainScenes == null ? 96 : trainScenes;
      testScenes = testScenes == null ? 24 : testScenes;
      trainViews = trainViews == null ? 16 : trainViews;
      imageSize = imageSize == null ? 32 : imageSize;
      fovDegrees = fovDegrees == null ? 45.0 : fovDegrees;
      cameraRadius = cameraRadius == null ? 2.5 : cameraRadius;
      supersample = supersample == null ? 2 : supersample;
      seed = seed == null ? 20230413L : seed;
      if (categories.isEmpty()) {
        throw new IllegalArgumentException("dataset: categories must not be empty");
      }
      positive("train_scenes", trainScenes);
      positive("test_scenes", testScenes);
      positive("train_views", trainViews);
      if (imageSize < 8) {
        throw new IllegalArgumentException("dataset: image_size must be at least 8, got " + imageSize);
      }
      if (!(cameraRadius > Math.sqrt(3))) {
        throw new IllegalArgumentException("dataset: camera_radius must put cameras outside [-1, 1]^3, got "
            + cameraRadius);
      }
    }

    /** The defaults: toy cars and chairs, 96 + 24 scenes, 16 views, 32×32. */
    public static Config defaults() {
      return new Config(null, null, null, null, null, null, null, null, null);
    }

    private static void positive(String field, int v) {
      if (v < 1) {
        throw new IllegalArgumentException("dataset: " + field + " must be positive, got " + v);
      }
    }
  }

  /**
   * A scene with its views.
   *
   * @param index scene number in the dataset
   * @param scene the geometry
   * @param inputs views a model may see (all training views; the three input views of a test scene)
   * @param heldOut views used only for evaluation (empty for training scenes)
   */
  public record SceneViews(int index, Scene scene, List<View> inputs, List<View> heldOut) {
    public SceneViews {
      inputs = List.copyOf(inputs);
      heldOut = List.copyOf(heldOut);
    }
  }

  /**
   * The training split's identity for a model's provenance: named by its categories, sizes and seed,
   * hashed over every training view's pixels (float32), so a change to the generator or the ray tracer
   * changes the hash.
   */
  public dev.kiln.spi.DataIdentity trainingIdentity() {
    int n = 0;
    for (SceneViews s : train) {
      for (View v : s.inputs()) {
        n += v.rgb().length;
      }
    }
    double[] all = new double[n];
    int k = 0;
    for (SceneViews s : train) {
      for (View v : s.inputs()) {
        for (float f : v.rgb()) {
          all[k++] = f;
        }
      }
    }
    String name = String.format(java.util.Locale.ROOT, "procedural multi-view scenes (%s): %d training scenes × %d"
        + " views at %d×%d, seed %d", String.join(", ", config.categories().stream().map(Category::id).toList()),
        config.trainScenes(), config.trainViews(), config.imageSize(), config.imageSize(), config.seed());
    return dev.kiln.spi.DataIdentity.ofDraw(name, all);
  }

  /** Renders the dataset a config describes. */
  public static MultiViewDataset generate(Config config) {
    Intrinsics in = Intrinsics.fromFov(config.imageSize(), config.imageSize(), config.fovDegrees());
    RayTracer tracer = new RayTracer(config.supersample());
    List<SceneViews> train = new ArrayList<>();
    List<SceneViews> test = new ArrayList<>();
    int total = config.trainScenes() + config.testScenes();
    for (int i = 0; i < total; i++) {
      Category cat = config.categories().get(i % config.categories().size());
      Scene scene = SceneGenerator.generate(cat, Seeds.rng(config.seed(), "scene", i));
      if (i < config.trainScenes()) {
        SplittableRandom rng = Seeds.rng(config.seed(), "views", i);
        List<View> views = new ArrayList<>();
        for (int v = 0; v < config.trainViews(); v++) {
          double az = 360 * rng.nextDouble();
          double lo = Math.sin(Math.toRadians(5));
          double hi = Math.sin(Math.toRadians(70));
          double el = Math.toDegrees(Math.asin(lo + (hi - lo) * rng.nextDouble()));
          views.add(tracer.render(scene, Camera.orbit(config.cameraRadius(), az, el, in)));
        }
        train.add(new SceneViews(i, scene, views, List.of()));
      } else {
        test.add(evaluationScene(config, i, scene, tracer, in));
      }
    }
    return new MultiViewDataset(config, train, test);
  }

  /**
   * {@code scenes} validation scenes for {@code config}: scenes number train_scenes + test_scenes onwards,
   * so disjoint from both splits and drawn from the same distribution, each seen like a test scene (three
   * input views, eight held-out views). Settings chosen on these leave the test scenes unseen.
   */
  public static List<SceneViews> validation(Config config, int scenes) {
    Intrinsics in = Intrinsics.fromFov(config.imageSize(), config.imageSize(), config.fovDegrees());
    RayTracer tracer = new RayTracer(config.supersample());
    List<SceneViews> out = new ArrayList<>();
    int first = config.trainScenes() + config.testScenes();
    for (int i = first; i < first + scenes; i++) {
      Category cat = config.categories().get(i % config.categories().size());
      out.add(evaluationScene(config, i, SceneGenerator.generate(cat, Seeds.rng(config.seed(), "scene", i)), tracer,
          in));
    }
    return out;
  }

  private static SceneViews evaluationScene(Config config, int i, Scene scene, RayTracer tracer, Intrinsics in) {
    List<View> inputs = new ArrayList<>();
    for (double az : INPUT_AZIMUTHS) {
      inputs.add(tracer.render(scene, Camera.orbit(config.cameraRadius(), az, INPUT_ELEVATION, in)));
    }
    List<View> held = new ArrayList<>();
    for (int k = 0; k < HELD_OUT_VIEWS; k++) {
      held.add(tracer.render(scene, Camera.orbit(config.cameraRadius(), 360.0 * k / HELD_OUT_VIEWS,
          HELD_OUT_ELEVATION, in)));
    }
    return new SceneViews(i, scene, inputs, held);
  }
}
