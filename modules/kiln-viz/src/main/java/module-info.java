/**
 * PNG figures drawn off-screen with {@code java.awt}: {@link dev.kiln.viz.ImageGrid} for image
 * samples, {@link dev.kiln.viz.ScatterPlot} for 2-D point sets and {@link dev.kiln.viz.LinePlot} for
 * curves such as sample quality against NFE. Nothing here needs a display or sets global state.
 */
module dev.kiln.viz {
  requires transitive dev.kiln.runtime;
  requires transitive java.desktop;

  exports dev.kiln.viz;
}
