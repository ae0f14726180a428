package dev.kiln.nerf.scenes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.viz.Pictures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * The fields a served NeRF model's generate request shares, read as hostile input: each bad one is a
 * {@link ConfigException} naming the field and its value. Cameras orbit the scene's centre at the
 * dataset's radius, as the procedural views do.
 */
public final class ViewRequests {

  /** The most cameras one request may render. */
  public static final int MAX_VIEWS = 64;

  private ViewRequests() {}

  /** Refuses every field of {@code req} outside {@code fields}, naming the model {@code kind}. */
  public static void onlyFields(JsonNode req, Set<String> fields, String kind) {
    req.fieldNames().forEachRemaining(f -> {
      if (!fields.contains(f)) {
        throw new ConfigException("unknown field `" + f + "` for a " + kind + " model; fields: "
            + new TreeSet<>(fields));
      }
    });
    if (req.hasNonNull("format") && !"tensor".equals(req.get("format").asText())) {
      throw new ConfigException("format: a " + kind + " model answers `tensor`, got " + req.get("format"));
    }
  }

  /** A finite number. */
  public static double number(JsonNode v, String key) {
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new ConfigException(key + " must be a finite number, got " + v);
    }
    return v.asDouble();
  }

  /** {@code req.key} as a finite number, or {@code fallback} when absent. */
  public static double number(JsonNode req, String key, double fallback) {
    return req.hasNonNull(key) ? number(req.get(key), key) : fallback;
  }

  /** An integer in [min, max]. */
  public static long integer(JsonNode v, String key, long min, long max) {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw new ConfigException(key + " must be an integer in " + min + ".." + max + ", got " + v);
    }
    return v.asLong();
  }

  /** {@code req.key} as true or false, or {@code fallback} when absent. */
  public static boolean flag(JsonNode req, String key, boolean fallback) {
    if (!req.hasNonNull(key)) {
      return fallback;
    }
    if (!req.get(key).isBoolean()) {
      throw new ConfigException(key + " must be true or false, got " + req.get(key));
    }
    return req.get(key).asBoolean();
  }

  /**
   * A picture [3, s, s] with values in [0, 1]: numbers, nested ([3][s][s] or [3][s·s]) or flat, or a
   * string holding a base64 PNG (or any picture ImageIO reads) of s × s pixels, optionally as a
   * {@code data:image/png;base64,} URL.
   */
  public static float[] image(JsonNode image, int s) {
    if (image.isTextual()) {
      return picture(image.asText(), s);
    }
    List<Double> values = new ArrayList<>();
    flatten(image, values, "image", 0, 3 * s * s);
    if (values.size() != 3 * s * s) {
      throw new ConfigException("image must hold 3 × " + s + " × " + s + " = " + 3 * s * s + " values, got "
          + values.size());
    }
    float[] rgb = new float[values.size()];
    for (int i = 0; i < rgb.length; i++) {
      double v = values.get(i);
      if (!(v >= 0 && v <= 1)) {
        throw new ConfigException("image values must be in [0, 1], got " + v + " at element " + i);
      }
      rgb[i] = (float) v;
    }
    return rgb;
  }

  private static float[] picture(String text, int s) {
    String b64 = text.startsWith("data:") && text.contains(",") ? text.substring(text.indexOf(',') + 1) : text;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(b64.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("image: a string must be a base64 PNG, and this one is not base64 ("
          + e.getMessage() + ")");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      img = null;
    }
    if (img == null) {
      throw new ConfigException("image: the base64 string (" + bytes.length
          + " bytes) is not a PNG or other picture ImageIO can read");
    }
    if (img.getWidth() != s || img.getHeight() != s) {
      throw new ConfigException("image: the picture is " + img.getWidth() + "×" + img.getHeight()
          + " but the model takes " + s + "×" + s);
    }
    return Pictures.planarRgb(img);
  }

  private static void flatten(JsonNode n, List<Double> into, String where, int depth, int want) {
    if (n.isNumber()) {
      into.add(n.asDouble());
    } else if (n.isArray() && depth < 3) {
      for (int i = 0; i < n.size(); i++) {
        flatten(n.get(i), into, where + "[" + i + "]", depth + 1, want);
        if (into.size() > want) {
          throw new ConfigException("image must hold " + want + " values, got more");
        }
      }
    } else {
      throw new ConfigException(where + " must be a number or an array of at most 3 levels, got "
          + (n.isContainerNode() ? "a deeper array" : n.toString()));
    }
  }

  /**
   * The cameras of {@code req.views}, a list of 1 to {@link #MAX_VIEWS} [azimuth, elevation] pairs in
   * degrees; {@code fallback} when absent.
   */
  public static List<Camera> cameras(JsonNode req, double radius, Intrinsics in, List<Camera> fallback) {
    if (!req.hasNonNull("views")) {
      return fallback;
    }
    JsonNode v = req.get("views");
    if (!v.isArray() || v.isEmpty() || v.size() > MAX_VIEWS) {
      throw new ConfigException("views must be a list of 1 to " + MAX_VIEWS + " [azimuth, elevation] pairs, got "
          + (v.isArray() ? v.size() + " entries" : v.toString()));
    }
    List<Camera> cameras = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode p = v.get(i);
      if (!p.isArray() || p.size() != 2) {
        throw new ConfigException("views[" + i + "] must be an [azimuth, elevation] pair, got " + p);
      }
      cameras.add(Camera.orbit(radius, number(p.get(0), "views[" + i + "][0]"), number(p.get(1), "views[" + i
          + "][1]"), in));
    }
    return cameras;
  }

  /** {@code n} cameras evenly around the scene at {@code elevation} degrees, the first at azimuth 0. */
  public static List<Camera> ring(int n, double elevation, double radius, Intrinsics in) {
    List<Camera> ring = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      ring.add(Camera.orbit(radius, 360.0 * k / n, elevation, in));
    }
    return ring;
  }

  /** Images [3, s, s] stacked into one tensor [n, 3, s, s]. */
  public static Tensor stack(List<float[]> images, int s) {
    float[] all = new float[images.size() * 3 * s * s];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, all, i * 3 * s * s, 3 * s * s);
    }
    return Tensor.of(all, images.size(), 3, s, s);
  }
}
