package dev.kiln.transformers.serving;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.graph.DType;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.graph.onnx.TensorProtos;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import dev.kiln.inference.ParameterFolding;
import dev.kiln.transformers.model.ActState;
import dev.kiln.transformers.model.Tokens;
import dev.kiln.transformers.model.UniversalTransformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The adaptive-depth alternative to {@link AdaptiveDepthRunner} inside one ONNX model: an ONNX
 * {@code Loop} whose body is one step plus the ACT update ({@link ActState}), and whose condition is
 * "some example is still running". The loop stops when the whole batch has halted, but within a
 * batch every example is computed until then (no compaction), so per-example savings need batch 1.
 *
 * <p>Outputs as the training graph: {@code logits}, {@code ponder}, {@code steps}. Built from one
 * Kiln graph holding the embedding, the body and the head (so every name is unique), written as
 * three pieces and stitched: the body's initializers move to the outer graph, which the body reads
 * by outer-scope names.
 */
public final class LoopModel {

  private static final String[] STATE = {"h", "cumulative", "remainder", "updates", "running", "output"};

  private LoopModel() {}

  /** The model for {@code arch} with {@code weights}, looping at most T_max times. */
  public static ModelProto build(UniversalTransformer arch, Weights weights, OrtBackend backend) {
    Graph g = new Graph("adaptive-depth-loop");
    long tokens = arch.embedding().tokens();
    long dim = arch.dims().dim();
    int maxSteps = arch.halting().maxSteps();

    Value h0 = arch.embed(g, arch.declareInputs(g));
    UniversalTransformer.Step step = arch.declareStep(g);
    ActState start = ActState.start(g, Tokens.first(g, h0));
    List<Value> initial = List.of(h0, start.cumulative(), start.remainder(), start.updates(), start.running(),
        start.output());
    List<String> initNames = new ArrayList<>();
    for (int i = 0; i < STATE.length; i++) {
      initNames.add(g.output("init_" + STATE[i], initial.get(i)).name());
    }

    Value iter = g.input("loop_iter", DType.INT64, Shape.scalar());
    Value cond = g.input("loop_cond", DType.BOOL, Shape.scalar());
    Value h = g.input("loop_h", Shape.batched("N", tokens, dim));
    Value cum = g.input("loop_cumulative", Shape.batched("N"));
    Value rem = g.input("loop_remainder", Shape.batched("N"));
    Value upd = g.input("loop_updates", Shape.batched("N"));
    Value run = g.input("loop_running", Shape.batched("N"));
    Value out = g.input("loop_output", Shape.batched("N", dim));
    UniversalTransformer.Output y = step.apply(g, h, g.reshape(g.cast(iter, g.floatType()), 1));
    Value last = g.equal(iter, g.scalar(DType.INT64, maxSteps - 1));
    ActState next = new ActState(cum, rem, upd, run, out).step(g, y.halting(), y.cls(g),
        arch.halting().threshold(), false, last);
    List<String> bodyNames = new ArrayList<>();
    bodyNames.add(g.output("body_cond", g.greater(g.reduceMax(next.running(), false, 0), g.scalar(0))).name());
    List<Value> bodyState = List.of(y.state(), next.cumulative(), next.remainder(), next.updates(), next.running(),
        next.output());
    for (int i = 0; i < STATE.length; i++) {
      bodyNames.add(g.output("body_" + STATE[i], bodyState.get(i)).name());
    }

    Value finalOutput = g.input("final_output", Shape.batched("N", dim));
    g.output("logits", step.head().apply(g, finalOutput));

    List<String> all = new ArrayList<>(initNames);
    all.addAll(bodyNames);
    all.add("logits");
    Map<String, TensorProto> folded = ParameterFolding.compute(g, all, weights, backend);
    GraphProto pre = piece(g, initNames, weights, folded);
    GraphProto body = piece(g, bodyNames, weights, folded);
    GraphProto post = piece(g, List.of("logits"), weights, folded);

    Map<String, TensorProto> initializers = new LinkedHashMap<>();
    for (GraphProto p : List.of(pre, body, post)) {
      p.getInitializerList().forEach(t -> initializers.putIfAbsent(t.getName(), t));
    }
    GraphProto.Builder b = body.toBuilder().clearInitializer().clearInput();
    for (Value v : List.of(iter, cond, h, cum, rem, upd, run, out)) {
      b.addInput(info(v.name(), v.dtype(), v.shape()));
    }
    GraphProto bodyGraph = b.setName("adaptive_depth_step").build();

    initializers.put("loop_trip_count", TensorProtos.ofLongs(new long[0], new long[] {maxSteps}).toBuilder()
        .setName("loop_trip_count").build());
    initializers.put("loop_start", TensorProtos.of(DType.BOOL, new long[0], 1).toBuilder().setName("loop_start")
        .build());
    NodeProto.Builder loop = NodeProto.newBuilder().setOpType("Loop").setName("adaptive_depth")
        .addInput("loop_trip_count").addInput("loop_start");
    initNames.forEach(loop::addInput);
    for (String s : STATE) {
      loop.addOutput(s.equals("output") ? "final_output" : s.equals("updates") ? "steps" : "final_" + s);
    }
    loop.addAttribute(AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH)
        .setG(bodyGraph));

    GraphProto.Builder outer = GraphProto.newBuilder().setName("adaptive_depth_loop")
        .addAllInput(pre.getInputList())
        .addAllNode(pre.getNodeList())
        .addNode(loop)
        .addAllNode(post.getNodeList())
        .addNode(NodeProto.newBuilder().setOpType("Add").setName("ponder_sum").addInput("steps")
            .addInput("final_remainder").addOutput("ponder"))
        .addAllInitializer(initializers.values())
        .addAllOutput(post.getOutputList())
        .addOutput(info("ponder", DType.FLOAT, Shape.batched("N")))
        .addOutput(info("steps", DType.FLOAT, Shape.batched("N")));
    ModelProto template = ModelWriter.of(g).onlyOutputs("logits").weights(weights.toProtos()).toProto();
    return template.toBuilder().setGraph(outer).build();
  }

  private static GraphProto piece(Graph g, List<String> outputs, Weights weights, Map<String, TensorProto> folded) {
    return ModelWriter.of(g).onlyOutputs(outputs.toArray(new String[0])).weights(weights.toProtos()).fold(folded)
        .toProto().getGraph();
  }

  private static ValueInfoProto info(String name, DType dtype, Shape shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (Dim d : shape.dims()) {
      s.addDim(d.isStatic() ? TensorShapeProto.Dimension.newBuilder().setDimValue(d.size())
          : TensorShapeProto.Dimension.newBuilder().setDimParam(d.toString()));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(dtype.onnxCode()).setShape(s))).build();
  }
}
