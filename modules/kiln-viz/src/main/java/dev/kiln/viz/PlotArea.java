package dev.kiln.viz;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;

/**
 * The data rectangle of a chart in image pixels, with its two axes: maps data to pixels and draws
 * grid lines, ticks with labels outside the left and bottom edges, and the frame.
 *
 * @param left x of the left edge
 * @param top y of the top edge
 * @param width pixels from left to right edge
 * @param height pixels from top to bottom edge
 * @param x horizontal axis
 * @param y vertical axis (values grow upwards)
 */
record PlotArea(int left, int top, int width, int height, Axis x, Axis y) {

  /** Pixel column of data value {@code v} on the x axis. */
  double px(double v) {
    return left + x.fraction(v) * width;
  }

  /** Pixel row of data value {@code v} on the y axis. */
  double py(double v) {
    return top + (1 - y.fraction(v)) * height;
  }

  /** Whether (vx, vy) lies inside the rectangle. */
  boolean contains(double vx, double vy) {
    double fx = x.fraction(vx);
    double fy = y.fraction(vy);
    return fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1;
  }

  /** Grid lines, tick marks and tick labels in a {@code fontSize} sans-serif font; draw before the data. */
  void drawGrid(Graphics2D g, int fontSize) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
    FontMetrics fm = g.getFontMetrics();
    int bottom = top + height;
    for (Axis.Tick t : x.ticks()) {
      int px = (int) Math.round(px(t.value()));
      g.setColor(Canvas.GRID);
      g.drawLine(px, top, px, bottom);
      g.setColor(Canvas.FRAME);
      g.drawLine(px, bottom, px, bottom + 4);
      g.setColor(Canvas.TEXT);
      g.drawString(t.label(), px - fm.stringWidth(t.label()) / 2, bottom + 6 + fm.getAscent());
    }
    for (Axis.Tick t : y.ticks()) {
      int py = (int) Math.round(py(t.value()));
      g.setColor(Canvas.GRID);
      g.drawLine(left, py, left + width, py);
      g.setColor(Canvas.FRAME);
      g.drawLine(left - 4, py, left, py);
      g.setColor(Canvas.TEXT);
      g.drawString(t.label(), left - 7 - fm.stringWidth(t.label()), py + fm.getAscent() / 2 - 1);
    }
  }

  /** The frame around the rectangle; draw after the data. */
  void drawFrame(Graphics2D g) {
    g.setColor(Canvas.FRAME);
    g.drawRect(left, top, width, height);
  }
}
