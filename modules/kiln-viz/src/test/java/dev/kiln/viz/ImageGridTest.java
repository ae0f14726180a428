package dev.kiln.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Tensor;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

  @TempDir
  Path dir;

  @Test
  void testsRenderHeadless() {
    assertThat(GraphicsEnvironment.isHeadless()).as("surefire runs with -Djava.awt.headless=true").isTrue();
  }

  @Test
  void onePixelAtHighShowsWhiteAndTheRestBlack() throws Exception {
    float[] data = new float[16];
    data[1 * 4 + 2] = 1; // h = 1, w = 2
    Path png = dir.resolve("one.png");
    ImageGrid.forRange(0, 1).write(Tensor.of(data, 1, 1, 4, 4), png);

    BufferedImage image = Pixels.read(png);
    assertThat(image.getWidth()).isEqualTo(2 + 4 + 2);
    assertThat(image.getHeight()).isEqualTo(2 + 4 + 2);
    assertThat(Pixels.rgb(image, 2 + 2, 2 + 1)).isEqualTo(0xFFFFFF);
    assertThat(Pixels.rgb(image, 2 + 1, 2 + 1)).isZero();
    assertThat(Pixels.rgb(image, 2 + 2, 2 + 2)).isZero();
    assertThat(Pixels.rgb(image, 0, 0)).as("padding").isEqualTo(0xFFFFFF);
  }

  @Test
  void rangeMinusOneToOneMapsToZeroMidAndFull() {
    ImageGrid grid = ImageGrid.forRange(-1, 1);
    assertThat(grid.level(-1)).isZero();
    assertThat(grid.level(0)).isEqualTo(128);
    assertThat(grid.level(1)).isEqualTo(255);
    assertThat(grid.level(7)).isEqualTo(255);
    assertThat(grid.level(-7)).isZero();
    assertThat(grid.level(Double.NaN)).isZero();
  }

  @Test
  void threeChannelsBecomeRedGreenBlue() {
    float[] data = {1, 0, 0.5f}; // one 1×1 image: R = 1, G = 0, B = 0.5
    BufferedImage image = ImageGrid.forRange(0, 1).withPadding(0).render(Tensor.of(data, 1, 3, 1, 1));
    assertThat(Pixels.rgb(image, 0, 0)).isEqualTo(0xFF0080);
  }

  /** 10 images of 3×2, 4 per row, scale 2, padding 1: 4·(2·2+1)+1 = 21 wide, 3·(3·2+1)+1 = 22 high. */
  @Test
  void gridLayoutFollowsColumnsPaddingAndScale() throws Exception {
    float[] data = new float[10 * 3 * 2];
    data[9 * 6 + 5] = 1; // last image, pixel (h = 2, w = 1)
    Path png = dir.resolve("grid.png");
    ImageGrid.forRange(0, 1).withColumns(4).withPadding(1).withScale(2).write(Tensor.of(data, 10, 1, 3, 2), png);

    BufferedImage image = Pixels.read(png);
    assertThat(image.getWidth()).isEqualTo(21);
    assertThat(image.getHeight()).isEqualTo(22);
    // Image 9 sits in row 2, column 1: origin (1 + 1·5, 1 + 2·7) = (6, 15); its pixel (2, 1) is a 2×2 block at (8, 19).
    for (int dy = 0; dy < 2; dy++) {
      for (int dx = 0; dx < 2; dx++) {
        assertThat(Pixels.rgb(image, 8 + dx, 19 + dy)).isEqualTo(0xFFFFFF);
      }
    }
    assertThat(Pixels.rgb(image, 7, 19)).isZero();
    assertThat(Pixels.rgb(image, 16, 15)).as("empty cell after the last image is background").isEqualTo(0xFFFFFF);
  }

  @Test
  void rewritingReplacesTheFileAndLeavesNoTemporaries() throws Exception {
    Path png = dir.resolve("samples.png");
    ImageGrid grid = ImageGrid.forRange(0, 1).withPadding(0);
    grid.write(Tensor.of(new float[4], 1, 1, 2, 2), png);
    grid.write(Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, 1, 1, 2, 3), png);

    assertThat(Pixels.read(png).getWidth()).isEqualTo(3);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(png);
    }
  }

  @Test
  void badShapesAreRejectedWithTheShapeInTheMessage() {
    ImageGrid grid = ImageGrid.forRange(0, 1);
    assertThatThrownBy(() -> grid.render(Tensor.of(new float[16], 1, 4, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[n, c, h, w]").hasMessageContaining("[1, 4, 4]");
    assertThatThrownBy(() -> grid.render(Tensor.of(new float[32], 1, 2, 4, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 or 3 channels, got 2");
    assertThatThrownBy(() -> ImageGrid.forRange(1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("low < high");
  }
}
