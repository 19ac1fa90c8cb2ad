package dev.mnistcnn.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Adam's update as Keras 3 computes it, as graph ops: per weight a {@code momentum} and a {@code
 * velocity} slot, one {@code iteration} counter, and step {@code t = iteration + 1} giving {@code
 * lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}; then {@code var -= lr_t * m / (sqrt(v) + eps)}
 * (TensorFlow's {@code ApplyAdam} kernel computes exactly this).
 *
 * <p>Why not TF Java's {@code framework.optimizers.Adam}: it updates its {@code beta1_power} and
 * {@code beta2_power} variables in the same run as the {@code ApplyAdam} ops with no ordering
 * between them, so each weight's update reads the powers of step t or t+1, whichever the scheduler
 * ran first: the first steps differ from Keras's (kernel[0][0] after one step: 7.4e-4 or 1.4e-3
 * against Keras's 1.0e-3) and two runs of one seed differ. Here the powers are computed from the
 * counter's value read before any update, and the counter is incremented only after every update.
 */
final class KerasAdam {
  private KerasAdam() {}

  /** Name scope of the optimizer's variables (checkpoints carry them by these names). */
  static final String SCOPE = "adam";

  /**
   * The op that runs one training step: gradients of {@code loss} for every float32 variable of the
   * graph not named in {@code frozen}, then one Adam update of each. No variable changes before
   * every gradient is complete (TF1's {@code GATE_GRAPH}): otherwise an update could race a
   * gradient that still reads the old value, and steps would not be reproducible.
   */
  static Op minimize(
      Ops tf, Graph graph, Operand<TFloat32> loss, Set<String> frozen, TrainingConfig config) {
    List<Output<TFloat32>> variables = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (VARIABLE_OPS.contains(op.type())
          && op.output(0).dataType() == DataType.DT_FLOAT_REF
          && !frozen.contains(op.name())) {
        variables.add(op.<TFloat32>output(0));
      }
    }
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("the model has no trainable weights");
    }
    // Named as TensorFlow Python names them, so profiles read alike.
    Gradients gradients = tf.withName("gradients").gradients(loss, variables);
    List<Op> complete = new ArrayList<>();
    for (Output<?> dy : gradients.dy()) {
      complete.add(tf.identity(dy));
    }
    Ops gated = tf.withControlDependencies(complete);
    List<Output<TFloat32>> grads = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      grads.add(gated.identity(gradients.<TFloat32>dy(i)).asOutput());
    }
    return apply(tf, variables, grads, config);
  }

  private static final Set<String> VARIABLE_OPS = Set.of("Variable", "VariableV2");

  private static Op apply(
      Ops tf,
      List<Output<TFloat32>> variables,
      List<Output<TFloat32>> gradients,
      TrainingConfig config) {
    Ops scope = tf.withSubScope(SCOPE);
    // Keras 3 counts in int64; float32 is exact to 2^24 steps and keeps every variable float32.
    Variable<TFloat32> iteration = scope.withName("iteration").variable(scope.constant(0f));
    Operand<TFloat32> t = scope.math.add(iteration, scope.constant(1f));
    Operand<TFloat32> beta1 = scope.constant(config.beta1());
    Operand<TFloat32> beta2 = scope.constant(config.beta2());
    Operand<TFloat32> beta1Power = scope.math.pow(beta1, t);
    Operand<TFloat32> beta2Power = scope.math.pow(beta2, t);
    Operand<TFloat32> learningRate = config.schedule().at(scope, iteration);
    Operand<TFloat32> epsilon = scope.constant(config.epsilon());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Output<TFloat32> variable = variables.get(i);
      String name = variable.op().name().replace('/', '.'); // op names in a scope: one level
      // Slots start at zero; built from the static shape (a variable's value is unset at init).
      Operand<TFloat32> zeros = scope.zeros(scope.constant(variable.shape()), TFloat32.class);
      Variable<TFloat32> momentum = scope.withName(name + "_momentum").variable(zeros);
      Variable<TFloat32> velocity = scope.withName(name + "_velocity").variable(zeros);
      updates.add(
          scope.train.applyAdam(
              variable,
              momentum,
              velocity,
              beta1Power,
              beta2Power,
              learningRate,
              beta1,
              beta2,
              epsilon,
              gradients.get(i)));
    }
    return scope
        .withControlDependencies(updates)
        .withName("step")
        .assignAdd(iteration, scope.constant(1f));
  }
}
