package dev.kiln.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/** How the i-th series of a chart looks: a tab10 colour and a marker shape, both cycling. */
final class SeriesStyle {

  /** Matplotlib's tab10 colours, in order. */
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final double MARKER = 7;

  private SeriesStyle() {}

  static Color color(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** Series {@code index}'s marker (circle, square, triangle, diamond, in turn) centred at (x, y). */
  static void drawMarker(Graphics2D g, int index, double x, double y) {
    double r = MARKER / 2;
    Shape shape = switch (index % 4) {
      case 0 -> new Ellipse2D.Double(x - r, y - r, MARKER, MARKER);
      case 1 -> new Rectangle2D.Double(x - r, y - r, MARKER, MARKER);
      case 2 -> polygon(new double[] {x, x + r, x - r}, new double[] {y - r, y + r, y + r});
      default -> polygon(new double[] {x, x + r, x, x - r}, new double[] {y - r, y, y + r, y});
    };
    Color color = color(index);
    g.setColor(color);
    g.fill(shape);
    g.setColor(color.darker());
    g.draw(shape);
  }

  private static Shape polygon(double[] xs, double[] ys) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      p.lineTo(xs[i], ys[i]);
    }
    p.closePath();
    return p;
  }
}
