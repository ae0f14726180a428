package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.DataIdentity;
import dev.kiln.train.ModelProvenance;
import java.util.List;
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
  void exportsCarryTheProvenanceAndEvaluateMeasuresWhatTheSavedModelMeasures() throws Exception {
    Path model = savedModel();
    NerfDiff saved = NerfDiff.load(model.resolve(NerfDiffTool.MODEL_FILE));
    saved.recordProvenance(new ModelProvenance("0123abc", DataIdentity.of("tiny scenes", new byte[] {1, 2})));
    saved.save(model.resolve(NerfDiffTool.MODEL_FILE), 5);
    Path out = dir.resolve("onnx");
    Path metrics = dir.resolve("metrics.json");
    StringWriter text = new StringWriter();
    PrintWriter none = new PrintWriter(new StringWriter());
    new NerfDiffTool().run(none, none, "export", "--model", model.toString(), "--output", out.toString());
    assertThat(new NerfDiffTool().run(new PrintWriter(text), none, "evaluate", "--onnx", out.toString(), "--count",
        "1", "--seed", "3", "--metrics", metrics.toString())).isZero();

    Map<String, String> meta = ModelReader.read(out.resolve(NerfDiffTool.SINGLE_IMAGE_NERF_FILE)).metadata();
    assertThat(meta).containsEntry("source_commit", "0123abc").containsEntry("data_name", "tiny scenes")
        .containsEntry("seed", "2").containsEntry("step", "5");
    assertThat(Configs.read(Configs.parse(meta.get("recipe"), "recipe"), NerfDiffConfig.class, "recipe"))
        .isEqualTo(saved.config());
    NerfDiff rebuilt = NerfDiff.fromExports(out.resolve(NerfDiffTool.SINGLE_IMAGE_NERF_FILE),
        out.resolve(NerfDiffTool.CDM_FILE));
    saved.nerfWeights().forEach((k, v) -> assertThat(v.contentEquals(rebuilt.nerfWeights().get(k))).as(k).isTrue());
    saved.cdmWeights().forEach((k, v) -> assertThat(v.contentEquals(rebuilt.cdmWeights().get(k))).as(k).isTrue());

    MultiViewDataset.Config dc = NerfDiffTool.dataset(saved.config());
    List<MultiViewDataset.SceneViews> scenes = MultiViewDataset.generate(new MultiViewDataset.Config(dc.categories(),
        dc.trainScenes(), 1, dc.trainViews(), dc.imageSize(), dc.fovDegrees(), dc.cameraRadius(), dc.supersample(),
        dc.seed())).test();
    Map<String, Double> live = NerfDiffEvaluation.heldOut(saved, scenes, 3, TinyNerfDiff.BACKEND);
    com.fasterxml.jackson.databind.JsonNode written = Configs.readFile(metrics, "metrics");
    assertThat(live.keySet()).containsExactly("psnr_nerf", "ssim_nerf", "psnr_ngd", "ssim_ngd");
    live.forEach((k, v) -> assertThat(written.get(k).asDouble()).as(k).isEqualTo(v));
    assertThat(live.get("psnr_nerf")).isBetween(3.0, 60.0);
    assertThat(text.toString()).contains("psnr_ngd ");
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
