/**
 * Reverse-mode differentiation of {@link dev.kiln.graph.Graph}s: {@link dev.kiln.autodiff.Autodiff}
 * appends gradient nodes made of standard ONNX operators, using one rule per operator from a
 * {@link dev.kiln.autodiff.GradientRegistry}.
 */
module dev.kiln.autodiff {
  requires transitive dev.kiln.graph;

  exports dev.kiln.autodiff;
}
