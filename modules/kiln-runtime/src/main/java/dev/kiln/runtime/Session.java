package dev.kiln.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.kiln.graph.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX Runtime session over one model. {@link #run} is safe to call from several threads at
 * once. Inputs are read from the tensors' direct buffers without copying; {@link #runInto} and
 * {@link Binding} write outputs into caller-owned tensors (ONNX Runtime's pinned outputs).
 */
public final class Session implements AutoCloseable {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final OrtSession.SessionOptions options;
  private boolean closed;
  private final Device device;
  private final Map<String, DType> inputTypes = new LinkedHashMap<>();
  private final Map<String, long[]> inputShapes = new LinkedHashMap<>();
  private final List<String> outputNames;

  Session(OrtEnvironment env, OrtSession session, OrtSession.SessionOptions options, Device device)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.options = options;
    this.device = device;
    for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo ti) {
        inputTypes.put(e.getKey(), dtypeOf(ti.type));
        inputShapes.put(e.getKey(), ti.getShape());
      }
    }
    this.outputNames = List.copyOf(session.getOutputNames());
  }

  /** The device the session actually runs on. */
  public Device device() {
    return device;
  }

  public List<String> inputNames() {
    return List.copyOf(inputTypes.keySet());
  }

  public List<String> outputNames() {
    return outputNames;
  }

  /** The element type of an input. */
  public DType inputType(String name) {
    DType t = inputTypes.get(name);
    if (t == null) {
      throw new IllegalArgumentException("model has no input `" + name + "`; inputs are " + inputNames());
    }
    return t;
  }

  /** The declared shape of an input; -1 marks a symbolic dimension. */
  public long[] inputShape(String name) {
    long[] s = inputShapes.get(name);
    if (s == null) {
      throw new IllegalArgumentException("model has no input `" + name + "`; inputs are " + inputNames());
    }
    return s.clone();
  }

  /** Runs the model and returns every output as a new tensor. */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    return run(inputs, new LinkedHashSet<>(outputNames));
  }

  /** Runs the model and returns the named outputs as new tensors. */
  public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
    Map<String, OnnxTensor> wrapped = wrapAll(inputs);
    try (OrtSession.Result r = session.run(wrapped, outputs)) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Map.Entry<String, OnnxValue> e : r) {
        out.put(e.getKey(), copyOut((OnnxTensor) e.getValue()));
      }
      return out;
    } catch (OrtException e) {
      throw new KilnRuntimeException("run failed: " + e.getMessage(), e);
    } finally {
      wrapped.values().forEach(OnnxTensor::close);
    }
  }

  /** Runs the model, writing the named outputs into the given tensors (which must have the right shapes). */
  public void runInto(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
    try (Binding b = bind(inputs, outputs)) {
      b.run();
    }
  }

  /**
   * Wraps input and output tensors once, for repeated runs: change the input tensors' data between
   * calls to {@link Binding#run()} and read the outputs from the output tensors. Nothing is copied.
   */
  public Binding bind(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
    Map<String, OnnxTensor> in = wrapAll(inputs);
    Map<String, OnnxTensor> out = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
        if (!outputNames.contains(e.getKey())) {
          throw new IllegalArgumentException("model has no output `" + e.getKey() + "`; outputs are " + outputNames);
        }
        out.put(e.getKey(), wrap(env, e.getValue()));
      }
    } catch (RuntimeException e) {
      in.values().forEach(OnnxTensor::close);
      out.values().forEach(OnnxTensor::close);
      throw e;
    }
    return new Binding(in, out);
  }

  /** Inputs and pinned outputs wrapped once for repeated runs. */
  public final class Binding implements AutoCloseable {
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;

    private Binding(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {
      this.inputs = inputs;
      this.outputs = outputs;
    }

    /** Runs once; outputs land in the bound output tensors. */
    public void run() {
      // The result lists the pinned outputs but does not own them; closing it frees nothing of ours.
      try (OrtSession.Result r = session.run(inputs, Set.of(), outputs)) {
        assert r.size() == outputs.size();
      } catch (OrtException e) {
        throw new KilnRuntimeException("run failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      inputs.values().forEach(OnnxTensor::close);
      outputs.values().forEach(OnnxTensor::close);
    }
  }

  private Map<String, OnnxTensor> wrapAll(Map<String, Tensor> inputs) {
    for (String name : inputTypes.keySet()) {
      if (!inputs.containsKey(name)) {
        throw new IllegalArgumentException("missing input `" + name + "`; model inputs are " + describeInputs());
      }
    }
    Map<String, OnnxTensor> wrapped = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
        DType expected = inputTypes.get(e.getKey());
        if (expected == null) {
          throw new IllegalArgumentException("model has no input `" + e.getKey() + "`; inputs are "
              + describeInputs());
        }
        if (expected != e.getValue().dtype()) {
          throw new IllegalArgumentException("input `" + e.getKey() + "` must be " + expected + ", got "
              + e.getValue());
        }
        wrapped.put(e.getKey(), wrap(env, e.getValue()));
      }
    } catch (RuntimeException e) {
      wrapped.values().forEach(OnnxTensor::close);
      throw e;
    }
    return wrapped;
  }

  private String describeInputs() {
    List<String> d = new ArrayList<>();
    inputTypes.forEach((k, v) -> d.add(k + ":" + v.name().toLowerCase(java.util.Locale.ROOT)
        + Arrays.toString(inputShapes.get(k))));
    return d.toString();
  }

  /** Wraps a tensor's direct buffer for ONNX Runtime without copying. */
  static OnnxTensor wrap(OrtEnvironment env, Tensor t) {
    try {
      long[] shape = t.shape();
      return switch (t.dtype()) {
        case FLOAT -> OnnxTensor.createTensor(env, t.floats(), shape);
        case DOUBLE -> OnnxTensor.createTensor(env, t.doubles(), shape);
        case INT64 -> OnnxTensor.createTensor(env, t.longs(), shape);
        case INT32 -> OnnxTensor.createTensor(env, t.buffer().asIntBuffer(), shape);
        case BOOL -> OnnxTensor.createTensor(env, t.buffer(), shape, OnnxJavaType.BOOL);
      };
    } catch (OrtException e) {
      throw new KilnRuntimeException("cannot wrap " + t + ": " + e.getMessage(), e);
    }
  }

  private static Tensor copyOut(OnnxTensor o) {
    TensorInfo info = o.getInfo();
    Tensor t = Tensor.zeros(dtypeOf(info.type), info.getShape());
    switch (t.dtype()) {
      case FLOAT -> t.floats().put(o.getFloatBuffer());
      case DOUBLE -> t.doubles().put(o.getDoubleBuffer());
      case INT64 -> t.longs().put(o.getLongBuffer());
      case INT32 -> t.buffer().asIntBuffer().put(o.getIntBuffer());
      case BOOL -> t.buffer().put(o.getByteBuffer());
      default -> throw new IllegalStateException();
    }
    return t;
  }

  private static DType dtypeOf(OnnxJavaType t) {
    return switch (t) {
      case FLOAT -> DType.FLOAT;
      case DOUBLE -> DType.DOUBLE;
      case INT64 -> DType.INT64;
      case INT32 -> DType.INT32;
      case BOOL -> DType.BOOL;
      default -> throw new KilnRuntimeException("unsupported ONNX Runtime type " + t);
    };
  }

  /** Frees the native session; closing again does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      throw new KilnRuntimeException("closing session failed: " + e.getMessage(), e);
    } finally {
      options.close();
    }
  }
}
