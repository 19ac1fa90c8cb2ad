package dev.mnistcnn.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * An {@link OptimizerSpec}'s step as Keras 3 takes it, as graph ops: gradients of every trainable
 * weight, then one update of each, then {@code iteration += 1}. The optimizer's variables live
 * under its Keras name in lower case ({@code adam/}, {@code sgd/}, {@code rmsprop/}): the {@code
 * iteration} counter and per weight its slots ({@code <weight>_momentum}, {@code
 * <weight>_velocity}), so checkpoints carry them.
 *
 * <p>Two guarantees make steps reproducible and equal to Keras's. No weight changes before every
 * gradient is complete (TF1's {@code GATE_GRAPH}): otherwise an update could race a gradient that
 * still reads the old value. And the counter is read once, before any update, and incremented only
 * after all of them. TF Java's {@code framework.optimizers.Adam} breaks the second: it updates its
 * {@code beta1_power} and {@code beta2_power} variables in the same run as the {@code ApplyAdam}
 * ops with no ordering between them, so each weight's update read the powers of step t or t+1,
 * whichever the scheduler ran first (kernel[0][0] after one step: 7.4e-4 or 1.4e-3 against Keras's
 * 1.0e-3), and two runs of one seed differed.
 */
final class KerasOptimizer {
  private KerasOptimizer() {}

  /**
   * The op that runs one training step: gradients of {@code loss} for every float32 variable of the
   * graph not named in {@code frozen}, then one update of each by {@code optimizer}.
   */
  static Op minimize(
      Ops tf,
      Graph graph,
      Operand<TFloat32> loss,
      Set<String> frozen,
      OptimizerSpec optimizer,
      LearningRateSchedule schedule) {
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
    return apply(tf, variables, grads, optimizer, schedule);
  }

  private static final Set<String> VARIABLE_OPS = Set.of("Variable", "VariableV2");

  /** Name scope of {@code optimizer}'s variables, as Keras names the optimizer by default. */
  static String scope(OptimizerSpec optimizer) {
    return optimizer.kerasName().toLowerCase(Locale.ROOT);
  }

  /**
   * The step's learning rate: the one place it is made, by the schedule (whose initial rate is the
   * optimizer's), from the counter's value before the step, as Keras evaluates {@code
   * learning_rate(iterations)}.
   */
  static Operand<TFloat32> learningRate(
      Ops scope, LearningRateSchedule schedule, Operand<TFloat32> iteration) {
    return schedule.at(scope.withSubScope("learning_rate"), iteration);
  }

  private static Op apply(
      Ops tf,
      List<Output<TFloat32>> variables,
      List<Output<TFloat32>> gradients,
      OptimizerSpec optimizer,
      LearningRateSchedule schedule) {
    Ops scope = tf.withSubScope(scope(optimizer));
    // Keras 3 counts in int64; float32 is exact to 2^24 steps and keeps every variable float32.
    Variable<TFloat32> iteration = scope.withName("iteration").variable(scope.constant(0f));
    Operand<TFloat32> learningRate = learningRate(scope, schedule, iteration);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Output<TFloat32> variable = variables.get(i);
      String name = variable.op().name().replace('/', '.'); // op names in a scope: one level
      Map<String, Variable<TFloat32>> slots = new LinkedHashMap<>();
      if (!optimizer.slots().isEmpty()) {
        // Slots start at zero; built from the static shape (a variable's value is unset at init).
        Operand<TFloat32> zeros = scope.zeros(scope.constant(variable.shape()), TFloat32.class);
        for (String slot : optimizer.slots()) {
          slots.put(slot, scope.withName(name + "_" + slot).variable(zeros));
        }
      }
      updates.add(
          optimizer.update(scope, variable, gradients.get(i), slots, learningRate, iteration));
    }
    return scope
        .withControlDependencies(updates)
        .withName("step")
        .assignAdd(iteration, scope.constant(1f));
  }
}
