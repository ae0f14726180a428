package dev.kiln.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A line chart of named series, e.g. sample quality against NFE per sampler or loss curves: lines
 * with a marker on every point (for series of at most {@value #MAX_MARKED_POINTS} points), ticks at
 * nice values (1, 2, 5 × 10ᵏ; decades on log axes), light grid lines, axis labels, a title and a
 * legend in the top-right corner. Both axes fit all finite points with 5 % margin; a non-finite
 * point breaks its line.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param title drawn above the plot; empty for none
 * @param xLabel drawn under the x axis; empty for none
 * @param yLabel drawn beside the y axis, rotated; empty for none
 * @param logX whether the x axis is logarithmic (then every x must be positive)
 * @param logY whether the y axis is logarithmic (then every y must be positive)
 */
public record LinePlot(int width, int height, String title, String xLabel, String yLabel, boolean logX, boolean logY) {

  /**
   * One curve.
   *
   * @param name legend entry
   * @param x abscissae {@code [n]}
   * @param y ordinates {@code [n]}
   */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      Objects.requireNonNull(name, "series name");
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values and " + y.length + " y values");
      }
      if (x.length == 0) {
        throw new IllegalArgumentException("series '" + name + "' is empty");
      }
    }

    /** {@code y [n]} against 0, 1, …, n − 1 (steps of a loss curve). */
    public static Series ofY(String name, double[] y) {
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
      }
      return new Series(name, x, y);
    }
  }

  /** Series longer than this are drawn without markers, which would merge into a band. */
  static final int MAX_MARKED_POINTS = 60;
  private static final int LEFT = 78;
  private static final int RIGHT = 24;
  private static final int TOP = 44;
  private static final int BOTTOM = 60;

  public LinePlot {
    if (width < LEFT + RIGHT + 50 || height < TOP + BOTTOM + 50) {
      throw new IllegalArgumentException("plot of " + width + "×" + height + " pixels is too small");
    }
    title = title == null ? "" : title;
    xLabel = xLabel == null ? "" : xLabel;
    yLabel = yLabel == null ? "" : yLabel;
  }

  /** An 800×500 plot with linear axes and no axis labels. */
  public static LinePlot titled(String title) {
    return new LinePlot(800, 500, title, "", "", false, false);
  }

  public LinePlot withLabels(String xLabel, String yLabel) {
    return new LinePlot(width, height, title, xLabel, yLabel, logX, logY);
  }

  public LinePlot withLogX(boolean logX) {
    return new LinePlot(width, height, title, xLabel, yLabel, logX, logY);
  }

  public LinePlot withLogY(boolean logY) {
    return new LinePlot(width, height, title, xLabel, yLabel, logX, logY);
  }

  public LinePlot withSize(int width, int height) {
    return new LinePlot(width, height, title, xLabel, yLabel, logX, logY);
  }

  /** The chart of {@code series} as a {@code width × height} RGB image. */
  public BufferedImage render(List<Series> series) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no series to plot");
    }
    PlotArea area = new PlotArea(LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM,
        axis(series, true), axis(series, false));
    BufferedImage image = Canvas.white(width, height);
    Graphics2D g = Canvas.graphics(image);
    try {
      area.drawGrid(g, 12);
      drawLabels(g, area);
      Graphics2D clipped = (Graphics2D) g.create();
      try {
        clipped.clipRect(area.left(), area.top(), area.width() + 1, area.height() + 1);
        for (int s = 0; s < series.size(); s++) {
          drawSeries(clipped, series.get(s), s, area);
        }
      } finally {
        clipped.dispose();
      }
      area.drawFrame(g);
      drawLegend(g, series, area);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Renders the chart and writes it to {@code png}, atomically. */
  public void write(Path png, List<Series> series) throws IOException {
    PngFile.write(render(series), png);
  }

  /** Renders the chart and writes it to {@code png}, atomically. */
  public void write(Path png, Series... series) throws IOException {
    write(png, List.of(series));
  }

  private Axis axis(List<Series> series, boolean isX) {
    boolean log = isX ? logX : logY;
    String name = isX ? "x" : "y";
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      double[] v = isX ? s.x() : s.y();
      for (int i = 0; i < v.length; i++) {
        if (log && v[i] <= 0) {
          throw new IllegalArgumentException("log-scale " + name + " needs positive values; series '" + s.name()
              + "' has " + name + "[" + i + "] = " + v[i]);
        }
        if (Double.isFinite(v[i])) {
          lo = Math.min(lo, v[i]);
          hi = Math.max(hi, v[i]);
        }
      }
    }
    if (lo > hi) {
      throw new IllegalArgumentException("no finite " + name + " values to plot");
    }
    return Axis.covering(lo, hi, log);
  }

  private void drawLabels(Graphics2D g, PlotArea area) {
    g.setColor(Canvas.TEXT);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    int centreX = area.left() + area.width() / 2;
    if (!xLabel.isEmpty()) {
      g.drawString(xLabel, centreX - fm.stringWidth(xLabel) / 2, height - 14);
    }
    if (!yLabel.isEmpty()) {
      AffineTransform saved = g.getTransform();
      g.translate(20, area.top() + (area.height() + fm.stringWidth(yLabel)) / 2.0);
      g.rotate(-Math.PI / 2);
      g.drawString(yLabel, 0, 0);
      g.setTransform(saved);
    }
    if (!title.isEmpty()) {
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      fm = g.getFontMetrics();
      g.drawString(title, centreX - fm.stringWidth(title) / 2, area.top() - 16);
    }
  }

  private static void drawSeries(Graphics2D g, Series s, int index, PlotArea area) {
    g.setColor(SeriesStyle.color(index));
    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    Path2D.Double line = new Path2D.Double();
    boolean pen = false;
    for (int i = 0; i < s.x().length; i++) {
      if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
        pen = false;
        continue;
      }
      double px = area.px(s.x()[i]);
      double py = area.py(s.y()[i]);
      if (pen) {
        line.lineTo(px, py);
      } else {
        line.moveTo(px, py);
        pen = true;
      }
    }
    g.draw(line);
    if (!marked(s)) {
      return;
    }
    g.setStroke(new BasicStroke(1.2f));
    for (int i = 0; i < s.x().length; i++) {
      if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
        SeriesStyle.drawMarker(g, index, area.px(s.x()[i]), area.py(s.y()[i]));
      }
    }
  }

  private static boolean marked(Series s) {
    return s.x().length <= MAX_MARKED_POINTS;
  }

  private static void drawLegend(Graphics2D g, List<Series> series, PlotArea area) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    int textWidth = 0;
    for (Series s : series) {
      textWidth = Math.max(textWidth, fm.stringWidth(s.name()));
    }
    int row = fm.getHeight() + 4;
    int boxW = 28 + 8 + textWidth + 12;
    int boxH = series.size() * row + 8;
    int x0 = area.left() + area.width() - boxW - 8;
    int y0 = area.top() + 8;
    g.setColor(new Color(255, 255, 255, 220));
    g.fillRect(x0, y0, boxW, boxH);
    g.setColor(Canvas.GRID.darker());
    g.drawRect(x0, y0, boxW, boxH);
    for (int s = 0; s < series.size(); s++) {
      int cy = y0 + 4 + s * row + row / 2;
      g.setColor(SeriesStyle.color(s));
      g.setStroke(new BasicStroke(2f));
      g.drawLine(x0 + 8, cy, x0 + 36, cy);
      if (marked(series.get(s))) {
        g.setStroke(new BasicStroke(1.2f));
        SeriesStyle.drawMarker(g, s, x0 + 22, cy);
      }
      g.setColor(Canvas.TEXT);
      g.drawString(series.get(s).name(), x0 + 44, cy + fm.getAscent() / 2 - 1);
    }
  }
}
