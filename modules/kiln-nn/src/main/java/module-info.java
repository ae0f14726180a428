/** Layers built from graph ops: {@link dev.kiln.nn.Linear}, norms, attention, convolution, embeddings. */
module dev.kiln.nn {
  requires transitive dev.kiln.graph;

  exports dev.kiln.nn;
}
