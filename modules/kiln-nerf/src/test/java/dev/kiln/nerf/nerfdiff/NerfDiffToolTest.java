package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Tensor;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.spi.ToolProvider;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NerfDiffToolTest {

  @TempDir
  Path dir;

  private Path savedModel() throws Exception {
    NerfDiffConfig config = TinyNerfDiff.config(1, new NerfDiffConfig.Distillation(1.0, 2, 0.98, 1, 32, 1e-3, true));
    NerfDiff model = NerfDiffExportTest.perturbed(2);
    NerfDiff tiny = NerfDiff.initialize(config, 2);
    tiny.nerfWeights().forEach((k, v) -> v.copyFrom(model.nerfWeights().get(k)));
    tiny.cdmWeights().forEach((k, v) -> v.copyFrom(model.cdmWeights().get(k)));
    Path m = dir.resolve("model");
    Files.createDirectories(m);
    tiny.save(m.resolve(NerfDiffTool.MODEL_FILE), 1);
    return m;
  }

  @Test
  void theToolIsFoundByNameAsTheCommandLineFindsIt() {
    assertThat(ToolProvider.findFirst("kiln-nerfdiff")).get().isInstanceOf(NerfDiffTool.class);
  }

  @Test
  void savedModelsLoadWithTheirWeightsAndConfig() throws Exception {
    NerfDiff model = NerfDiffExportTest.perturbed(3);
    Path file = dir.resolve("m.safetensors");
    model.save(file, 7);
    NerfDiff back = NerfDiff.load(file);
    assertThat(back.config()).isEqualTo(model.config());
    for (Map<String, Tensor> part : java.util.List.of(model.nerfWeights(), model.cdmWeights())) {
      part.forEach((k, v) -> assertThat(v.contentEquals(
          (back.nerfWeights().containsKey(k) ? back.nerfWeights() : back.cdmWeights()).get(k))).as(k).isTrue());
    }
  }

  @Test
  void reconstructWritesFramesAGifAndASheetWithAndWithoutNgd() throws Exception {
    Path model = savedModel();
    Path out = dir.resolve("out");
    StringWriter text = new StringWriter();
    int code = new NerfDiffTool().run(new PrintWriter(text), new PrintWriter(new StringWriter()), "reconstruct",
        "--model", model.toString(), "--scene", "1", "--output", out.toString(), "--frames", "3");
    assertThat(code).isZero();
    for (String m : java.util.List.of("nerf-only", "ngd")) {
      assertThat(out.resolve(m + "-002.png")).isNotEmptyFile();
      assertThat(gifFrames(out.resolve(m + ".gif"))).isEqualTo(3);
    }
    BufferedImage sheet = ImageIO.read(out.resolve("turntable.png").toFile());
    // Two rows of three 8×8 frames at 4× with 2 px padding.
    assertThat(sheet.getHeight()).isEqualTo(2 * (8 * 4 + 2) + 2);
    assertThat(text.toString()).contains("ngd turntable (3 frames");
  }

  @Test
  void exportWritesThreeOnnxModelsOnnxRuntimeLoads() throws Exception {
    Path model = savedModel();
    Path out = dir.resolve("onnx");
    new NerfDiffTool().run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "export",
        "--model", model.toString(), "--output", out.toString());
    for (String f : java.util.List.of("nerfdiff-encoder.onnx", "nerfdiff-single-image-nerf.onnx", "nerfdiff-cdm.onnx")) {
      try (var s = TinyNerfDiff.BACKEND.load(out.resolve(f))) {
        assertThat(s.inputNames()).as(f).isNotEmpty();
      }
    }
    try (var s = TinyNerfDiff.BACKEND.load(out.resolve("nerfdiff-cdm.onnx"))) {
      assertThat(s.inputNames()).containsExactlyInAnyOrder("z", "cond", "t");
      assertThat(s.outputNames()).containsExactly("v");
    }
  }

  @Test
  void anInputImageOfTheWrongSizeIsRefusedNamingTheFileAndBothSizes() throws Exception {
    Path model = savedModel();
    Path png = dir.resolve("big.png");
    ImageIO.write(new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
    assertThatThrownBy(() -> new NerfDiffTool().run(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "reconstruct", "--model", model.toString(), "--image", png.toString(),
        "--output", dir.resolve("o").toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("big.png")
        .hasMessageContaining("12×12").hasMessageContaining("8×8");
  }

  @Test
  void aMissingModelIsReportedByPath() {
    assertThatThrownBy(() -> new NerfDiffTool().run(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "reconstruct", "--model", dir.resolve("none").toString(), "--scene", "0",
        "--output", dir.toString()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("none");
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThatThrownBy(() -> NerfDiffTool.options(new String[] {"reconstruct", "--guidance", "2"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--guidance");
  }

  private static int gifFrames(Path gif) throws Exception {
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      return reader.getNumImages(true);
    }
  }
}
