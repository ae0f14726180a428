package dev.kiln.diffusion.fields;

import dev.kiln.graph.onnx.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The surface of an occupancy field on an r³ grid of [−1, 1]³ as a mesh: every face between an
 * occupied voxel (signal > 0) and an empty one or the outside becomes a quad, so the mesh is the
 * closed, blocky boundary of the occupied set (vertices shared, faces wound outward). Written as
 * ASCII PLY, which MeshLab, Blender and trimesh open.
 */
public final class OccupancyMesh {

  private OccupancyMesh() {}

  /** Writes the surface of field {@code values[offset …]} (r³ values, x fastest) to {@code ply}, atomically. */
  public static void writePly(float[] values, int offset, int r, Path ply) throws IOException {
    Map<Integer, Integer> ids = new HashMap<>();
    List<int[]> corners = new ArrayList<>();
    List<int[]> faces = new ArrayList<>();
    int[][] dirs = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    for (int z = 0; z < r; z++) {
      for (int y = 0; y < r; y++) {
        for (int x = 0; x < r; x++) {
          if (!(values[offset + (z * r + y) * r + x] > 0)) {
            continue;
          }
          for (int[] d : dirs) {
            int nx = x + d[0];
            int ny = y + d[1];
            int nz = z + d[2];
            boolean inside = nx >= 0 && ny >= 0 && nz >= 0 && nx < r && ny < r && nz < r;
            if (inside && values[offset + (nz * r + ny) * r + nx] > 0) {
              continue;
            }
            int[] face = new int[4];
            int[][] quad = quad(x, y, z, d);
            for (int k = 0; k < 4; k++) {
              int[] c = quad[k];
              int key = (c[2] * (r + 1) + c[1]) * (r + 1) + c[0];
              face[k] = ids.computeIfAbsent(key, q -> {
                corners.add(c);
                return corners.size() - 1;
              });
            }
            faces.add(face);
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("ply\nformat ascii 1.0\ncomment Kiln DPF occupancy surface\nelement vertex ").append(corners.size())
        .append("\nproperty float x\nproperty float y\nproperty float z\nelement face ").append(faces.size())
        .append("\nproperty list uchar int vertex_indices\nend_header\n");
    for (int[] c : corners) {
      sb.append(String.format(Locale.ROOT, "%.5f %.5f %.5f%n", 2.0 * c[0] / r - 1, 2.0 * c[1] / r - 1,
          2.0 * c[2] / r - 1));
    }
    for (int[] f : faces) {
      sb.append("4 ").append(f[0]).append(' ').append(f[1]).append(' ').append(f[2]).append(' ').append(f[3])
          .append('\n');
    }
    AtomicFiles.write(ply, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The four grid corners of voxel (x, y, z)'s face towards {@code d}, counter-clockwise seen from outside. */
  private static int[][] quad(int x, int y, int z, int[] d) {
    int axis = d[0] != 0 ? 0 : d[1] != 0 ? 1 : 2;
    int u = (axis + 1) % 3;
    int v = (axis + 2) % 3;
    int[] base = {x, y, z};
    if (d[axis] > 0) {
      base[axis] += 1;
    }
    int[][] q = new int[4][];
    int[][] offsets = d[axis] > 0 ? new int[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}} : new int[][] {{0, 0}, {0, 1}, {1, 1},
        {1, 0}};
    for (int k = 0; k < 4; k++) {
      int[] c = base.clone();
      c[u] += offsets[k][0];
      c[v] += offsets[k][1];
      q[k] = c;
    }
    return q;
  }
}
