package dev.kiln.train;

import dev.kiln.autodiff.Autodiff;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training step compiled into an ONNX Runtime session: forward, loss and backward in one graph.
 * Every input is a direct buffer bound once: the data feeds (refilled in place each step), the
 * parameters (updated in place by the optimizer) and the pinned outputs (loss, metrics and one
 * gradient per trainable parameter). A step therefore copies nothing between Java and ONNX Runtime.
 */
public final class TrainStep implements AutoCloseable {

  private static final String GRAD = "grad:";
  private static final String METRIC = "metric:";
  private static final String STATE = "state:";

  private final Session session;
  private final Session.Binding binding;
  private final Map<String, Tensor> feeds = new LinkedHashMap<>();
  private final Map<String, Tensor> grads = new LinkedHashMap<>();
  private final Map<String, Tensor> metrics = new LinkedHashMap<>();
  private final Tensor loss;
  private final Weights weights;
  private final List<String> trainable = new ArrayList<>();
  private final Map<String, Tensor> states = new LinkedHashMap<>();

  private TrainStep(Session session, Map<String, Tensor> feeds, Weights weights, Tensor loss,
      Map<String, Tensor> grads, Map<String, Tensor> metrics, Map<String, Tensor> states) {
    this.session = session;
    this.feeds.putAll(feeds);
    this.weights = weights;
    this.loss = loss;
    this.grads.putAll(grads);
    this.metrics.putAll(metrics);
    this.states.putAll(states);
    Map<String, Tensor> inputs = new LinkedHashMap<>(feeds);
    for (String name : session.inputNames()) {
      if (!inputs.containsKey(name)) {
        inputs.put(name, weights.get(name));
      }
    }
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    outputs.put("loss", loss);
    metrics.forEach((k, v) -> outputs.put(METRIC + k, v));
    grads.forEach((k, v) -> {
      outputs.put(GRAD + k, v);
      trainable.add(k);
    });
    states.forEach((k, v) -> outputs.put(STATE + k, v));
    this.binding = session.bind(inputs, outputs);
  }

  /**
   * Differentiates {@code tg}, loads the step into {@code backend}, and binds it to {@code weights}
   * (which the optimizer then updates in place).
   *
   * @param symbols sizes of the symbolic dimensions of the data inputs, e.g. {@code {"N": 256}}
   */
  public static TrainStep compile(TrainGraph tg, OrtBackend backend, Map<String, Long> symbols, Weights weights) {
    Graph g = tg.graph();
    Map<Value, Value> gradValues = Autodiff.gradients(tg.loss(), tg.trainable());
    List<String> outs = new ArrayList<>();
    outs.add(g.output("loss", tg.loss()).name());
    tg.metrics().forEach((k, v) -> outs.add(g.output(METRIC + k, v).name()));
    gradValues.forEach((p, dp) -> outs.add(g.output(GRAD + p.name(), dp).name()));
    Map<String, Tensor> states = new LinkedHashMap<>();
    g.bufferUpdates().forEach((b, next) -> {
      outs.add(g.output(STATE + b.name(), next).name());
      states.put(b.name(), Tensor.zeros(b.dtype(), b.shape().sizes()));
    });
    byte[] model = ModelWriter.of(g).onlyOutputs(outs.toArray(new String[0])).toBytes();
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    for (Value in : g.inputs()) {
      feeds.put(in.name(), Tensor.zeros(in.dtype(), in.shape().resolve(symbols)));
    }
    Map<String, Tensor> grads = new LinkedHashMap<>();
    for (Value p : tg.trainable()) {
      grads.put(p.name(), Tensor.zeros(p.dtype(), p.shape().sizes()));
    }
    Map<String, Tensor> metrics = new LinkedHashMap<>();
    tg.metrics().forEach((k, v) -> metrics.put(k, Tensor.zeros(v.dtype())));
    Session session = backend.load(model);
    try {
      feeds.keySet().retainAll(session.inputNames());
      return new TrainStep(session, feeds, weights, Tensor.zeros(tg.loss().dtype()), grads, metrics, states);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** The data inputs to fill before each {@link #run()}, by input name. */
  public Map<String, Tensor> feeds() {
    return feeds;
  }

  /** Gradients written by the last run, by parameter name. */
  public Map<String, Tensor> gradients() {
    return grads;
  }

  /** Names of the trained parameters. */
  public List<String> trainable() {
    return trainable;
  }

  /** The live parameters this step reads. */
  public Weights weights() {
    return weights;
  }

  /** Runs forward and backward, then moves buffer updates into the buffers; returns the loss. */
  public double run() {
    binding.run();
    states.forEach((name, next) -> weights.get(name).copyFrom(next));
    return loss.get(0);
  }

  /** Metric {@code name} from the last run. */
  public double metric(String name) {
    Tensor t = metrics.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no metric `" + name + "`; metrics are " + metrics.keySet());
    }
    return t.get(0);
  }

  /** Names of the extra metrics. */
  public List<String> metricNames() {
    return List.copyOf(metrics.keySet());
  }

  @Override
  public void close() {
    binding.close();
    session.close();
  }
}
