package dev.kiln.cli.bench;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Losses;
import dev.kiln.nn.Mlp;
import dev.kiln.nn.TransformerBlock;
import dev.kiln.train.TrainGraph;

/** The benchmark models, built exactly as scripts/bench/torch_train.py builds them in PyTorch. */
final class BenchModels {

  private BenchModels() {}

  /** 4 Linear 256×256 layers with ReLU between, MSE loss; x, y [N, 256]. */
  static TrainGraph mlp() {
    Graph g = new Graph("bench-mlp");
    Value x = g.input("x", Shape.batched("N", 256));
    Value y = g.input("y", Shape.batched("N", 256));
    Value out = new Mlp("mlp", new long[] {256, 256, 256, 256, 256}, Activation.RELU, false).apply(g, x);
    return TrainGraph.of(g, Losses.mse(g, out, y));
  }

  /** One pre-LN Transformer block (width 128, 4 heads, MLP 512, GELU), MSE loss; x, y [N, 64, 128]. */
  static TrainGraph block() {
    Graph g = new Graph("bench-block");
    Value x = g.input("x", Shape.batched("N", 64, 128));
    Value y = g.input("y", Shape.batched("N", 64, 128));
    Value out = TransformerBlock.preNorm("block", 128, 4).apply(g, x).output();
    return TrainGraph.of(g, Losses.mse(g, out, y));
  }
}
