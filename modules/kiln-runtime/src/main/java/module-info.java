/**
 * Host tensors ({@link dev.kiln.runtime.Tensor}) and the ONNX Runtime backend
 * ({@link dev.kiln.runtime.OrtBackend}): sessions on CPU or CUDA, zero-copy input and pinned output
 * buffers.
 */
module dev.kiln.runtime {
  requires transitive dev.kiln.graph;
  requires transitive com.microsoft.onnxruntime;

  exports dev.kiln.runtime;
}
