package dev.kiln.experiments.hyperut;

import dev.kiln.spi.Architecture;
import dev.kiln.transformers.model.BlockDims;
import dev.kiln.transformers.model.FixedDepthEncoder;
import dev.kiln.transformers.model.Router;
import dev.kiln.transformers.model.UniversalTransformer;

/**
 * Multiply-adds per example of the encoders compared on MNIST, layer by layer, with everything an
 * adaptive step adds counted: for a block over T tokens of width d and FFN width f,
 * <pre>
 *   block  = T·4d² (Q, K, V, output projections) + 2T²d (scores and weighted values) + 2Tdf (FFN)
 *   step   = block + Td (halting unit)
 *          + d·Hr + HrP (router query and scores; the pool's keys are fixed after training)
 *          + P·2df (mixing the two FFN matrices from P banks: the hyper network's arithmetic)
 * </pre>
 * The embedding and the classifier are the same for every model and left out; LayerNorms, biases and
 * softmaxes are not multiply-adds and are left out too.
 */
final class ComputeCount {

  private ComputeCount() {}

  /** One transformer block of width {@code d} and FFN width {@code f} over {@code tokens} tokens. */
  static double block(long tokens, long d, long f) {
    return tokens * 4.0 * d * d + 2.0 * tokens * tokens * d + 2.0 * tokens * d * f;
  }

  /** One adaptive step of {@code ut}, hyper network and router included. */
  static double step(UniversalTransformer ut) {
    long t = ut.embedding().tokens();
    BlockDims dims = ut.dims();
    double macs = block(t, dims.dim(), dims.ffn()) + (ut.halting().adaptive() ? (double) t * dims.dim() : 0);
    Router r = ut.router();
    if (r != null) {
      double hr = (double) r.heads() * r.dim();
      macs += dims.dim() * hr + hr * r.poolSize() + r.poolSize() * 2.0 * dims.dim() * dims.ffn();
    }
    return macs;
  }

  /** An example of {@code ut} that takes {@code steps} steps. */
  static double perExample(UniversalTransformer ut, double steps) {
    return steps * step(ut);
  }

  /** An example of a fixed-depth encoder ({@code depth} blocks). */
  static double perExample(Architecture arch, int depth) {
    FixedDepthEncoder e = (FixedDepthEncoder) arch;
    return depth * block(e.embedding().tokens(), e.dims().dim(), e.dims().ffn());
  }
}
