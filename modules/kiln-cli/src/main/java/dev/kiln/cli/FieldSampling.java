package dev.kiln.cli;

import dev.kiln.diffusion.fields.OccupancyMesh;
import dev.kiln.graph.DType;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.inference.Domain;
import dev.kiln.inference.FieldQuery;
import dev.kiln.inference.FieldRenders;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.Tensor;
import dev.kiln.train.SafeTensors;
import dev.kiln.viz.ImageGrid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kiln sample} on a field model (DPF): the query coordinates come from {@code --resolution} (the
 * domain's grid at that resolution; by default the training grid) or {@code --coords FILE}, and the
 * samples are written as pictures of the domain (plane images, equirectangular sphere maps, depth views
 * of occupancy with one PLY surface per sample) or, at arbitrary coordinates, as a CSV and a splat.
 *
 * @param model the model at the query
 * @param domain its domain
 * @param resolution the grid resolution, or 0 for coordinates from a file
 * @param coords the query coordinates [P·D]
 */
record FieldSampling(GenerativeModel model, Domain domain, int resolution, double[] coords) {

  /** The model at the asked-for queries; the context is {@code context_size} of them, drawn by {@code seed}. */
  static FieldSampling of(GenerativeModel m, Integer resolution, Path coordsFile, long seed) throws IOException {
    Domain domain = Domain.parse(m.fieldDomain(), m.path() + ": metadata field_domain");
    if (resolution != null && coordsFile != null) {
      throw new IllegalArgumentException("--resolution and --coords: give one of them");
    }
    int r = 0;
    double[] coords;
    if (coordsFile != null) {
      coords = readCoords(coordsFile, domain.dimension());
    } else {
      r = resolution != null ? resolution : m.fieldResolution();
      if (r < 1 || r > 512) {
        throw new IllegalArgumentException("--resolution must be in [1, 512], got " + r);
      }
      coords = domain.grid(r);
    }
    return new FieldSampling(m.at(FieldQuery.of(coords, domain.dimension(), m.contextSize(), seed)), domain, r,
        coords);
  }

  /** For a model that is not a field model: the field options are a mistake. */
  static void refuse(GenerativeModel m, Integer resolution, Path coordsFile) {
    if (resolution != null || coordsFile != null) {
      throw new IllegalArgumentException("--resolution and --coords are for field models (DPF); " + m.path()
          + " is not one");
    }
  }

  /** What is queried, for the summary line. */
  String where() {
    return resolution > 0 ? domain.id() + " grid " + String.join("×", dims()) : (coords.length / domain.dimension())
        + " coordinates";
  }

  /**
   * Writes {@code png} (and for volumes {@code <png>-<i>.ply} per sample; for coordinate files
   * {@code <png>.csv}) and, with {@code raw}, the samples and coordinates as safetensors.
   */
  List<Path> write(Sampling.Drawn drawn, Path png, Path raw, long seed) throws IOException {
    Tensor samples = drawn.samples();
    int n = (int) samples.dim(0);
    List<Path> written = new ArrayList<>(List.of(png));
    if (resolution > 0) {
      FieldRenders.Sheet sheet = FieldRenders.sheet(domain, samples, resolution);
      ImageGrid.forRange(sheet.low(), 1).withColumns(sheet.columns()).withScale(sheet.scale())
          .write(sheet.images(), png);
      if (domain instanceof Domain.Volume) {
        float[] values = samples.toFloatArray();
        int p = resolution * resolution * resolution;
        for (int i = 0; i < n; i++) {
          Path ply = sibling(png, "-" + i + ".ply");
          OccupancyMesh.writePly(values, i * p, resolution, ply);
          written.add(ply);
        }
      }
    } else {
      ImageGrid.forRange(-1, 1).withColumns((int) Math.ceil(Math.sqrt(n))).withScale(2)
          .write(FieldRenders.splat(domain, coords, samples, 64), png);
      Path csv = sibling(png, ".csv");
      AtomicFiles.write(csv, csv(samples).getBytes(StandardCharsets.UTF_8));
      written.add(csv);
    }
    if (raw != null) {
      int d = domain.dimension();
      SafeTensors.write(raw, Map.of("samples", samples, "coords", Tensor.of(DType.FLOAT, coords, coords.length / d, d)),
          Map.of("sampler", drawn.sampler(), "steps", Integer.toString(drawn.steps()), "seed", Long.toString(seed),
              "field_domain", domain.id()));
      written.add(raw);
    }
    return written;
  }

  private List<String> dims() {
    List<String> s = new ArrayList<>();
    for (int g : domain.gridShape(resolution)) {
      s.add(Integer.toString(g));
    }
    return s;
  }

  /** One row per (sample, coordinate): sample, the coordinate's D values, the signal. */
  private String csv(Tensor samples) {
    int d = domain.dimension();
    int p = coords.length / d;
    StringBuilder sb = new StringBuilder("sample");
    for (String axis : (d == 2 ? new String[] {"u", "v"} : new String[] {"x", "y", "z"})) {
      sb.append(',').append(axis);
    }
    sb.append(",signal\n");
    for (int i = 0; i < samples.dim(0); i++) {
      for (int j = 0; j < p; j++) {
        sb.append(i);
        for (int c = 0; c < d; c++) {
          sb.append(',').append(String.format(Locale.ROOT, "%.6g", coords[j * d + c]));
        }
        sb.append(String.format(Locale.ROOT, ",%.6g%n", samples.get(i * p + j)));
      }
    }
    return sb.toString();
  }

  private static Path sibling(Path png, String suffix) {
    String name = png.getFileName().toString();
    String stem = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    return png.resolveSibling(stem + suffix);
  }

  /** Points of {@code dimension} numbers, one per line, separated by commas or spaces; # starts a comment. */
  static double[] readCoords(Path file, int dimension) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceAll("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("[,\\s]+");
      if (parts.length != dimension) {
        throw new IllegalArgumentException("--coords " + file + " line " + (i + 1) + ": expected " + dimension
            + " numbers (a point of the model's domain), got `" + lines.get(i).trim() + "`");
      }
      for (String part : parts) {
        try {
          values.add(Double.parseDouble(part));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--coords " + file + " line " + (i + 1) + ": `" + part
              + "` is not a number");
        }
      }
    }
    if (values.isEmpty()) {
      throw new IllegalArgumentException("--coords " + file + ": no points");
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
