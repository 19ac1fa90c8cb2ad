package dev.mnistcnn.graph;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Every variable of a graph (the model's weights, the optimizer's slots and its step counters),
 * read out of and written into a session by name: the whole training state, for checkpoints. Made
 * after the optimizer has added its variables; each gets a placeholder-fed assign op, so restoring
 * runs only ops this class built, never anything read from a file.
 */
public final class GraphVariables {
  private static final String VARIABLE_OP = "VariableV2";

  private final Map<String, Output<TFloat32>> variables;
  private final Map<String, Placeholder<TFloat32>> values;
  private final List<Assign<TFloat32>> assigns;

  private GraphVariables(
      Map<String, Output<TFloat32>> variables,
      Map<String, Placeholder<TFloat32>> values,
      List<Assign<TFloat32>> assigns) {
    this.variables = variables;
    this.values = values;
    this.assigns = assigns;
  }

  /** Finds every variable in {@code graph} (all must be float32) and adds their assign ops. */
  public static GraphVariables of(Ops tf, Graph graph) {
    Map<String, Output<TFloat32>> variables = new TreeMap<>(); // by name: a stable order
    Iterator<GraphOperation> ops = graph.operations();
    while (ops.hasNext()) {
      GraphOperation op = ops.next();
      if (op.type().equals(VARIABLE_OP)) {
        Output<TFloat32> v = op.output(0);
        if (v.dataType() != DataType.DT_FLOAT_REF) { // a VariableV2's output is a reference
          throw new IllegalStateException("variable " + op.name() + " is not float32");
        }
        variables.put(op.name(), v);
      }
    }
    Map<String, Placeholder<TFloat32>> values = new LinkedHashMap<>();
    List<Assign<TFloat32>> assigns = new ArrayList<>();
    Ops scoped = tf.withSubScope("restore");
    int i = 0;
    for (Map.Entry<String, Output<TFloat32>> e : variables.entrySet()) {
      Placeholder<TFloat32> value =
          scoped
              .withName("value_" + i)
              .placeholder(TFloat32.class, Placeholder.shape(e.getValue().shape()));
      values.put(e.getKey(), value);
      assigns.add(scoped.withName("assign_" + i).assign(e.getValue(), value));
      i++;
    }
    return new GraphVariables(variables, values, assigns);
  }

  /** The current value of every variable, by op name. */
  public Map<String, VariableValue> read(Session session) {
    Session.Runner runner = session.runner();
    variables.values().forEach(runner::fetch);
    Map<String, VariableValue> out = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      int i = 0;
      for (String name : variables.keySet()) {
        TFloat32 t = (TFloat32) result.get(i++);
        out.put(name, new VariableValue(t.shape().asArray(), Tensors.toArray(t)));
      }
    }
    return out;
  }

  /**
   * Sets every variable to {@code state}'s value; refuses, changing nothing, unless {@code state}
   * names exactly this graph's variables with their shapes.
   */
  public void write(Session session, Map<String, VariableValue> state) {
    if (!state.keySet().equals(variables.keySet())) {
      throw new IllegalArgumentException(
          "the checkpoint's variables "
              + new TreeMap<>(state).keySet()
              + " are not this model's "
              + variables.keySet());
    }
    for (Map.Entry<String, Output<TFloat32>> e : variables.entrySet()) {
      long[] expected = e.getValue().shape().asArray();
      if (!java.util.Arrays.equals(expected, state.get(e.getKey()).shape())) {
        throw new IllegalArgumentException(
            "the checkpoint's variable " + e.getKey() + " has another shape than this model's");
      }
    }
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (String name : variables.keySet()) {
        VariableValue v = state.get(name);
        TFloat32 t = Tensors.floats(v.values(), v.shape());
        feeds.add(t);
        runner.feed(values.get(name), t);
      }
      assigns.forEach(runner::addTarget);
      runner.run().close();
    } finally {
      feeds.forEach(Tensor::close);
    }
  }
}
