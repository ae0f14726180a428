package dev.kiln.viz;

import dev.kiln.runtime.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * 2-D point sets drawn as small translucent dots, one square panel per set, side by side with a
 * title above each (e.g. "data", "DDIM 50 steps"). All panels share one axis range so they can be
 * compared: {@code bounds} if given, otherwise a square window around every point of every panel
 * with 5 % margin (±1 around a single point). Points outside the range or not finite are not drawn.
 *
 * @param panelSize width and height in pixels of each panel, titles and tick labels included
 * @param dotDiameter dot size in pixels
 * @param bounds shared axis range, or {@code null} to fit the points
 */
public record ScatterPlot(int panelSize, double dotDiameter, Bounds bounds) {

  /**
   * An axis-aligned rectangle of the plane.
   *
   * @param xMin left edge
   * @param xMax right edge, {@code > xMin}
   * @param yMin bottom edge
   * @param yMax top edge, {@code > yMin}
   */
  public record Bounds(double xMin, double xMax, double yMin, double yMax) {
    public Bounds {
      if (!(xMax > xMin) || !(yMax > yMin)) {
        throw new IllegalArgumentException("bounds need xMin < xMax and yMin < yMax, got x [" + xMin + ", "
            + xMax + "], y [" + yMin + ", " + yMax + "]");
      }
    }

    /** The square {@code [-r, r]²}. */
    public static Bounds square(double r) {
      return new Bounds(-r, r, -r, r);
    }
  }

  /**
   * One panel: a title and its points.
   *
   * @param title shown above the panel
   * @param points {@code [n, 2]} rows of (x, y)
   */
  public record Panel(String title, double[][] points) {
    public Panel {
      Objects.requireNonNull(title, "panel title");
      if (points.length == 0) {
        throw new IllegalArgumentException("panel '" + title + "' has no points");
      }
      for (int i = 0; i < points.length; i++) {
        if (points[i].length != 2) {
          throw new IllegalArgumentException("panel '" + title + "': point " + i + " has " + points[i].length
              + " coordinates, expected 2");
        }
      }
    }

    /** A panel of {@code points [n, 2]} (any element type). */
    public static Panel of(String title, Tensor points) {
      if (points.rank() != 2 || points.dim(1) != 2) {
        throw new IllegalArgumentException("panel '" + title + "': points must be [n, 2], got " + points);
      }
      double[] flat = points.toDoubleArray();
      double[][] rows = new double[flat.length / 2][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
      }
      return new Panel(title, rows);
    }
  }

  private static final Color DOT = new Color(31, 119, 180, 110);
  private static final int TITLE_HEIGHT = 28;
  private static final int LEFT = 44;
  private static final int BOTTOM = 28;
  private static final int RIGHT = 10;

  public ScatterPlot {
    if (panelSize < 100 || !(dotDiameter > 0)) {
      throw new IllegalArgumentException("need panelSize ≥ 100 and dotDiameter > 0, got " + panelSize + ", " + dotDiameter);
    }
  }

  /** 400-pixel panels, 3-pixel dots, range fitted to the points. */
  public static ScatterPlot defaults() {
    return new ScatterPlot(400, 3, null);
  }

  public ScatterPlot withBounds(Bounds bounds) {
    return new ScatterPlot(panelSize, dotDiameter, bounds);
  }

  public ScatterPlot withPanelSize(int panelSize) {
    return new ScatterPlot(panelSize, dotDiameter, bounds);
  }

  public ScatterPlot withDotDiameter(double dotDiameter) {
    return new ScatterPlot(panelSize, dotDiameter, bounds);
  }

  /** The panels side by side: {@code panels.size() · panelSize × panelSize} pixels. */
  public BufferedImage render(List<Panel> panels) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("no panels to draw");
    }
    Bounds b = bounds != null ? bounds : fit(panels);
    Axis xAxis = new Axis(b.xMin(), b.xMax(), false);
    Axis yAxis = new Axis(b.yMin(), b.yMax(), false);
    BufferedImage image = Canvas.white(panels.size() * panelSize, panelSize);
    Graphics2D g = Canvas.graphics(image);
    try {
      for (int p = 0; p < panels.size(); p++) {
        drawPanel(g, panels.get(p), p * panelSize, xAxis, yAxis);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Renders the panels and writes them to {@code png}, atomically. */
  public void write(Path png, List<Panel> panels) throws IOException {
    PngFile.write(render(panels), png);
  }

  /** Renders the panels and writes them to {@code png}, atomically. */
  public void write(Path png, Panel... panels) throws IOException {
    write(png, List.of(panels));
  }

  private void drawPanel(Graphics2D g, Panel panel, int x0, Axis xAxis, Axis yAxis) {
    PlotArea area = new PlotArea(x0 + LEFT, TITLE_HEIGHT, panelSize - LEFT - RIGHT,
        panelSize - TITLE_HEIGHT - BOTTOM, xAxis, yAxis);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.setColor(Canvas.TEXT);
    FontMetrics fm = g.getFontMetrics();
    g.drawString(panel.title(), area.left() + (area.width() - fm.stringWidth(panel.title())) / 2, TITLE_HEIGHT - 9);
    area.drawGrid(g, 11);

    g.setColor(DOT);
    double r = dotDiameter / 2;
    Ellipse2D.Double dot = new Ellipse2D.Double();
    for (double[] p : panel.points()) {
      if (area.contains(p[0], p[1])) {
        dot.setFrame(area.px(p[0]) - r, area.py(p[1]) - r, dotDiameter, dotDiameter);
        g.fill(dot);
      }
    }
    area.drawFrame(g);
  }

  /** A square window, 5 % larger than needed, around every finite point of every panel. */
  private static Bounds fit(List<Panel> panels) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Panel panel : panels) {
      for (double[] p : panel.points()) {
        if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
          xMin = Math.min(xMin, p[0]);
          xMax = Math.max(xMax, p[0]);
          yMin = Math.min(yMin, p[1]);
          yMax = Math.max(yMax, p[1]);
        }
      }
    }
    if (xMin > xMax) {
      throw new IllegalArgumentException("no finite points to fit the axis range to");
    }
    double span = Math.max(xMax - xMin, yMax - yMin);
    double half = span > 0 ? 0.55 * span : 1;
    double cx = 0.5 * (xMin + xMax);
    double cy = 0.5 * (yMin + yMax);
    return new Bounds(cx - half, cx + half, cy - half, cy + half);
  }
}
