package dev.kiln.nerf.ssd;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A graph with static shapes compiled into one session whose inputs and outputs are bound once to
 * host tensors: parameters to the live weight tensors handed in (read in place, so optimizer
 * updates are seen without copies), every other input to a tensor the caller fills before
 * {@link #run()}, and every output to a pinned tensor {@link #run()} overwrites.
 */
public final class CompiledGraph implements AutoCloseable {

  private final Session session;
  private final Session.Binding binding;
  private final Map<String, Tensor> feeds = new LinkedHashMap<>();
  private final Map<String, Tensor> outputs = new LinkedHashMap<>();

  /**
   * @param outputs values to compute, by output name (declared as graph outputs here)
   * @param weights live tensors for the graph's parameters, by parameter name
   */
  public CompiledGraph(Graph g, Map<String, Value> outputs, Map<String, Tensor> weights, OrtBackend backend) {
    outputs.forEach((name, v) -> {
      g.output(name, v);
      this.outputs.put(name, Tensor.zeros(v.dtype(), v.shape().sizes()));
    });
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (Value in : g.inputs()) {
      Tensor t = Tensor.zeros(in.dtype(), in.shape().sizes());
      feeds.put(in.name(), t);
      inputs.put(in.name(), t);
    }
    for (Value p : g.parameters()) {
      Tensor w = weights.get(p.name());
      if (w == null) {
        throw new IllegalArgumentException("no weight for parameter `" + p.name() + "`");
      }
      inputs.put(p.name(), w);
    }
    byte[] model = ModelWriter.of(g).onlyOutputs(outputs.keySet().toArray(new String[0])).toBytes();
    this.session = backend.load(model);
    inputs.keySet().retainAll(session.inputNames());
    feeds.keySet().retainAll(session.inputNames());
    this.binding = session.bind(inputs, this.outputs);
  }

  /** The tensor bound to data input {@code name}; fill it before {@link #run()}. */
  public Tensor in(String name) {
    Tensor t = feeds.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no data input `" + name + "`; inputs are " + feeds.keySet());
    }
    return t;
  }

  /** Whether the compiled model reads data input {@code name}. */
  public boolean reads(String name) {
    return feeds.containsKey(name);
  }

  /** The tensor output {@code name} is written to. */
  public Tensor out(String name) {
    Tensor t = outputs.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no output `" + name + "`; outputs are " + outputs.keySet());
    }
    return t;
  }

  /** Runs once. */
  public void run() {
    binding.run();
  }

  @Override
  public void close() {
    binding.close();
    session.close();
  }
}
