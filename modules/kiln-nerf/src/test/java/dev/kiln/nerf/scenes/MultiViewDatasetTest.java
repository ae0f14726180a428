package dev.kiln.nerf.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The procedural dataset: fixed split, determinism, object framing. */
class MultiViewDatasetTest {

  private static MultiViewDataset small(long seed) {
    return MultiViewDataset.generate(new MultiViewDataset.Config(
        List.of(Category.TOYCAR, Category.CHAIR, Category.SHAPES), 6, 3, 4, 16, null, null, 1, seed));
  }

  @Test
  void splitHasTheConfiguredScenesAndViews() {
    MultiViewDataset ds = small(1);
    assertThat(ds.train()).hasSize(6).allSatisfy(s -> {
      assertThat(s.inputs()).hasSize(4);
      assertThat(s.heldOut()).isEmpty();
    });
    assertThat(ds.test()).hasSize(3).allSatisfy(s -> {
      assertThat(s.inputs()).hasSize(MultiViewDataset.INPUT_AZIMUTHS.length);
      assertThat(s.heldOut()).hasSize(MultiViewDataset.HELD_OUT_VIEWS);
    });
    assertThat(ds.train().get(0).scene().category()).isEqualTo(Category.TOYCAR);
    assertThat(ds.train().get(1).scene().category()).isEqualTo(Category.CHAIR);
    assertThat(ds.test().get(0).index()).isEqualTo(6);
  }

  @Test
  void validationScenesFollowTheTestScenesAndShareNoneOfThem() {
    MultiViewDataset ds = small(1);
    List<MultiViewDataset.SceneViews> val = MultiViewDataset.validation(ds.config(), 2);
    assertThat(val).extracting(MultiViewDataset.SceneViews::index).containsExactly(9, 10);
    assertThat(val).allSatisfy(s -> {
      assertThat(s.inputs()).hasSize(MultiViewDataset.INPUT_AZIMUTHS.length);
      assertThat(s.heldOut()).hasSize(MultiViewDataset.HELD_OUT_VIEWS);
    });
    for (MultiViewDataset.SceneViews t : ds.test()) {
      assertThat(val).noneSatisfy(v -> assertThat(v.inputs().get(0).rgb()).isEqualTo(t.inputs().get(0).rgb()));
    }
    // The scene a larger test split would hold at index 9 is the first validation scene.
    MultiViewDataset wider = MultiViewDataset.generate(new MultiViewDataset.Config(ds.config().categories(), 6, 4, 4, 16,
        null, null, 1, 1L));
    assertThat(val.get(0).heldOut().get(3).rgb()).isEqualTo(wider.test().get(3).heldOut().get(3).rgb());
  }

  @Test
  void sameSeedGivesIdenticalImagesAndAnotherSeedDoesNot() {
    float[] a = small(1).train().get(2).inputs().get(1).rgb();
    float[] b = small(1).train().get(2).inputs().get(1).rgb();
    float[] c = small(2).train().get(2).inputs().get(1).rgb();
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void everyCarAndChairIsFramedInEveryHeldOutView() {
    MultiViewDataset ds = MultiViewDataset.generate(new MultiViewDataset.Config(
        List.of(Category.TOYCAR, Category.CHAIR), 1, 12, 1, 24, null, null, 1, 3L));
    for (MultiViewDataset.SceneViews s : ds.test()) {
      for (View v : s.heldOut()) {
        long hit = Arrays.stream(v.objectId()).filter(id -> id >= 0).count();
        assertThat(hit).as("object pixels in a held-out view of scene %d", s.index()).isGreaterThan(10);
        // No object touches the image border: the whole object is framed.
        for (int x = 0; x < v.width(); x++) {
          assertThat(v.objectId()[x]).isEqualTo(-1);
          assertThat(v.objectId()[(v.height() - 1) * v.width() + x]).isEqualTo(-1);
        }
      }
    }
  }
}
