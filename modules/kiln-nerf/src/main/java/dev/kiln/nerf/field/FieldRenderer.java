package dev.kiln.nerf.field;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Renderer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference rendering on the host face of a {@link Renderer}: the triplane field network is
 * exported as a plain ONNX model (decoder weights as initializers; inputs {@code code} and
 * {@code points}), run by ONNX Runtime for the sample points of whole images, and its densities and
 * colours are composited by {@link Renderer#render}. Each call renders one image per scene, every
 * scene from its own camera; sampling is deterministic (bin midpoints).
 */
public final class FieldRenderer implements AutoCloseable {

  private final TriplaneField field;
  private final Renderer renderer;
  private final StratifiedSampler sampler;
  private final int scenes;
  private final int pixels;
  private final double[] background;
  private final Session session;

  /**
   * @param decoder the decoder's weights by parameter name
   * @param scenes images rendered per call
   * @param pixels pixels per image
   * @param samplesPerRay samples per ray inside [−1, 1]³
   */
  public FieldRenderer(TriplaneField field, Map<String, Tensor> decoder, Renderer renderer, int scenes, int pixels,
      int samplesPerRay, double[] background, OrtBackend backend) {
    this.field = field;
    this.renderer = renderer;
    this.sampler = new StratifiedSampler(samplesPerRay, Aabb.unit(), 0.0);
    this.scenes = scenes;
    this.pixels = pixels;
    this.background = background.clone();
    this.session = backend.load(exportedNetwork(field, decoder, scenes, (long) pixels * samplesPerRay));
  }

  /** The field network with the decoder's weights as initializers, serialised. */
  public static byte[] exportedNetwork(TriplaneField field, Map<String, Tensor> decoder, long scenes, long points) {
    Graph g = field.network(scenes, points);
    Map<String, TensorProto> protos = new LinkedHashMap<>();
    decoder.forEach((k, v) -> protos.put(k, v.toProto()));
    return ModelWriter.of(g).weights(protos).docString("triplane radiance field: code, points -> density, color")
        .toBytes();
  }

  /**
   * Renders scene {@code b}'s triplanes {@code codes.get(b)} (activated, [3C·S·S]) from
   * {@code cameras.get(b)}; returns one image [3, H, W] per scene.
   */
  public float[][] render(List<float[]> codes, List<Camera> cameras) {
    if (codes.size() != scenes || cameras.size() != scenes) {
      throw new IllegalArgumentException("need " + scenes + " codes and cameras, got " + codes.size() + " and "
          + cameras.size());
    }
    int s = field.config().resolution();
    Tensor code = Tensor.zeros(DType.FLOAT, scenes, field.config().codeChannels(), s, s);
    FloatBuffer cb = code.floats();
    int k = sampler.samples();
    Tensor points = Tensor.zeros(DType.FLOAT, scenes, (long) pixels * k, 3);
    RaySamples[] samples = new RaySamples[scenes];
    for (int b = 0; b < scenes; b++) {
      cb.put(b * field.config().codeSize(), codes.get(b));
      if (cameras.get(b).intrinsics().pixels() != pixels) {
        throw new IllegalArgumentException("camera " + b + " has " + cameras.get(b).intrinsics().pixels()
            + " pixels, not " + pixels);
      }
      samples[b] = sampler.sample(cameras.get(b).rays(), null);
      points.floats().put(b * pixels * k * 3, samples[b].points());
    }
    Map<String, Tensor> out = session.run(Map.of("code", code, "points", points));
    float[] density = out.get("density").toFloatArray();
    float[] color = out.get("color").toFloatArray();
    float[][] images = new float[scenes][];
    for (int b = 0; b < scenes; b++) {
      int n = pixels * k;
      Tensor d = Tensor.of(Arrays.copyOfRange(density, b * n, (b + 1) * n), pixels, k);
      Tensor c = Tensor.of(Arrays.copyOfRange(color, 3 * b * n, 3 * (b + 1) * n), pixels, k, 3);
      Tensor rgb = renderer.render(d, c, samples[b].tTensor(), samples[b].deltaTensor(), background).rgb();
      float[] img = new float[3 * pixels];
      for (int p = 0; p < pixels; p++) {
        for (int ch = 0; ch < 3; ch++) {
          img[ch * pixels + p] = (float) rgb.get(3 * p + ch);
        }
      }
      images[b] = img;
    }
    return images;
  }

  @Override
  public void close() {
    session.close();
  }
}
