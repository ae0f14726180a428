/**
 * Symbolic ONNX graphs built in Java: {@link dev.kiln.graph.Graph} declares inputs, parameters and
 * nodes with typed op helpers and static shape inference; {@link dev.kiln.graph.onnx} writes and
 * reads ONNX ModelProto files.
 */
module dev.kiln.graph {
  requires transitive org.tribuo.util.onnx;
  requires transitive com.google.protobuf;

  exports dev.kiln.graph;
  exports dev.kiln.graph.onnx;
}
