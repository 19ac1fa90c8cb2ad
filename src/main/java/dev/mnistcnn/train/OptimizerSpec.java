package dev.mnistcnn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer as Keras 3 defines it: its class name, its config (the keys Keras's {@code
 * get_config} writes), the slot variables it keeps per weight and its update of one weight, written
 * as graph ops with Keras's arithmetic. Hyperparameters are doubles, as Python's floats are, and
 * become float32 constants where Keras casts them ({@code 1 - rho} is taken in double first, as
 * Python does). {@link KerasOptimizer} gates the gradients, owns the learning rate and the {@code
 * iteration} counter, and calls {@link #update} once per weight.
 */
public sealed interface OptimizerSpec {

  /** Keras's class name: {@code Adam}, {@code SGD}, {@code RMSprop}. */
  String kerasName();

  /** The constant learning rate (a schedule would replace it in {@link KerasOptimizer}). */
  double learningRate();

  /** The config as Keras writes it, for provenance and checkpoints. */
  Map<String, Object> kerasConfig();

  /** Per-weight slot names, in creation order: variable {@code <weight>_<slot>}. */
  List<String> slots();

  /** This optimizer with another learning rate. */
  OptimizerSpec withLearningRate(double lr);

  /**
   * The ops that update {@code weight} by {@code gradient}, given its {@link #slots()} by name, the
   * step's learning rate and the {@code iteration} counter's value before this step.
   */
  Op update(
      Ops tf,
      Output<TFloat32> weight,
      Operand<TFloat32> gradient,
      Map<String, Variable<TFloat32>> slots,
      Operand<TFloat32> learningRate,
      Operand<TFloat32> iteration);

  /** The CLI names, lower case: {@code adam}, {@code sgd}, {@code rmsprop}. */
  List<String> NAMES = List.of("adam", "sgd", "rmsprop");

  /** Keras's defaults for the optimizer called {@code name} (one of {@link #NAMES}). */
  static OptimizerSpec defaults(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "adam" -> Adam.DEFAULTS;
      case "sgd" -> Sgd.DEFAULTS;
      case "rmsprop" -> RmsProp.DEFAULTS;
      default ->
          throw new OptimizerSettingException(
              "unknown ", "optimizer", " '" + name + "' (expected one of " + NAMES + ")");
    };
  }

  /**
   * Adam: {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)}, {@code w -= lr_t m /
   * (sqrt(v) + eps)} with {@code lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)}, {@code t = iteration + 1}:
   * TensorFlow's {@code ApplyAdam} kernel computes exactly this (see {@link KerasOptimizer} for why
   * not the framework's {@code Adam}).
   */
  record Adam(double learningRate, double beta1, double beta2, double epsilon)
      implements OptimizerSpec {
    public static final Adam DEFAULTS = new Adam(0.001, 0.9, 0.999, 1e-7);

    public Adam {
      Check.learningRate(learningRate);
      Check.inUnit("beta_1", beta1, false);
      Check.inUnit("beta_2", beta2, false);
      Check.epsilon(epsilon);
    }

    @Override
    public String kerasName() {
      return "Adam";
    }

    @Override
    public Map<String, Object> kerasConfig() {
      return Check.config(
          "learning_rate", learningRate, "beta_1", beta1, "beta_2", beta2, "epsilon", epsilon);
    }

    @Override
    public List<String> slots() {
      return List.of("momentum", "velocity");
    }

    @Override
    public Adam withLearningRate(double lr) {
      return new Adam(lr, beta1, beta2, epsilon);
    }

    @Override
    public Op update(
        Ops tf,
        Output<TFloat32> weight,
        Operand<TFloat32> gradient,
        Map<String, Variable<TFloat32>> slots,
        Operand<TFloat32> learningRate,
        Operand<TFloat32> iteration) {
      Operand<TFloat32> t = tf.math.add(iteration, tf.constant(1f));
      Operand<TFloat32> b1 = tf.constant((float) beta1);
      Operand<TFloat32> b2 = tf.constant((float) beta2);
      return tf.train.applyAdam(
          weight,
          slots.get("momentum"),
          slots.get("velocity"),
          tf.math.pow(b1, t),
          tf.math.pow(b2, t),
          learningRate,
          b1,
          b2,
          tf.constant((float) epsilon),
          gradient);
    }
  }

  /**
   * SGD: {@code w -= lr g}; with momentum {@code m = momentum m - lr g} then {@code w += m}, or
   * with Nesterov {@code w += momentum m - lr g} (the new m). TensorFlow's {@code ApplyMomentum}
   * accumulates {@code g} and scales by the learning rate afterwards, another arithmetic, so this
   * is plain ops.
   */
  record Sgd(double learningRate, double momentum, boolean nesterov) implements OptimizerSpec {
    public static final Sgd DEFAULTS = new Sgd(0.01, 0.0, false);

    public Sgd {
      Check.learningRate(learningRate);
      Check.inUnit("momentum", momentum, true);
    }

    @Override
    public String kerasName() {
      return "SGD";
    }

    @Override
    public Map<String, Object> kerasConfig() {
      return Check.config(
          "learning_rate", learningRate, "momentum", momentum, "nesterov", nesterov);
    }

    @Override
    public List<String> slots() {
      return momentum != 0 ? List.of("momentum") : List.of(); // as Keras: none without momentum
    }

    @Override
    public Sgd withLearningRate(double lr) {
      return new Sgd(lr, momentum, nesterov);
    }

    @Override
    public Op update(
        Ops tf,
        Output<TFloat32> weight,
        Operand<TFloat32> gradient,
        Map<String, Variable<TFloat32>> slots,
        Operand<TFloat32> learningRate,
        Operand<TFloat32> iteration) {
      Operand<TFloat32> step = tf.math.mul(gradient, learningRate);
      if (momentum == 0) {
        return tf.assignSub(weight, step);
      }
      Operand<TFloat32> beta = tf.constant((float) momentum);
      Variable<TFloat32> m = slots.get("momentum");
      Operand<TFloat32> newM = tf.assign(m, tf.math.sub(tf.math.mul(m, beta), step));
      return tf.assignAdd(weight, nesterov ? tf.math.sub(tf.math.mul(newM, beta), step) : newM);
    }
  }

  /**
   * RMSprop: {@code v = rho v + (1 - rho) g^2}, {@code inc = lr g / sqrt(v + eps)}; {@code w -=
   * inc}, or with momentum {@code mom = momentum mom + inc}, {@code w -= mom}. TensorFlow's {@code
   * ApplyRMSProp} updates v as {@code v += (g^2 - v)(1 - rho)}, which rounds differently, so this
   * is plain ops.
   */
  record RmsProp(double learningRate, double rho, double momentum, double epsilon)
      implements OptimizerSpec {
    public static final RmsProp DEFAULTS = new RmsProp(0.001, 0.9, 0.0, 1e-7);

    public RmsProp {
      Check.learningRate(learningRate);
      Check.inUnit("rho", rho, false);
      Check.inUnit("momentum", momentum, true);
      Check.epsilon(epsilon);
    }

    @Override
    public String kerasName() {
      return "RMSprop";
    }

    @Override
    public Map<String, Object> kerasConfig() {
      // Only the plain (uncentered) RMSprop is offered: no option or file can ask for centered.
      return Check.config(
          "learning_rate",
          learningRate,
          "rho",
          rho,
          "momentum",
          momentum,
          "epsilon",
          epsilon,
          "centered",
          false);
    }

    @Override
    public List<String> slots() {
      return momentum > 0 ? List.of("velocity", "momentum") : List.of("velocity");
    }

    @Override
    public RmsProp withLearningRate(double lr) {
      return new RmsProp(lr, rho, momentum, epsilon);
    }

    @Override
    public Op update(
        Ops tf,
        Output<TFloat32> weight,
        Operand<TFloat32> gradient,
        Map<String, Variable<TFloat32>> slots,
        Operand<TFloat32> learningRate,
        Operand<TFloat32> iteration) {
      Variable<TFloat32> v = slots.get("velocity");
      Operand<TFloat32> newV =
          tf.assign(
              v,
              tf.math.add(
                  tf.math.mul(tf.constant((float) rho), v),
                  tf.math.mul(tf.constant((float) (1 - rho)), tf.math.square(gradient))));
      Operand<TFloat32> increment =
          tf.math.div(
              tf.math.mul(learningRate, gradient),
              tf.math.sqrt(tf.math.add(newV, tf.constant((float) epsilon))));
      if (momentum == 0) {
        return tf.assignSub(weight, increment);
      }
      Variable<TFloat32> mom = slots.get("momentum");
      Operand<TFloat32> newMom =
          tf.assign(mom, tf.math.add(tf.math.mul(tf.constant((float) momentum), mom), increment));
      return tf.assignSub(weight, newMom);
    }
  }

  /** Range checks with one-line messages that name the Keras key; configs. */
  final class Check {
    private Check() {}

    /** An ordered config from key, value, key, value... */
    static Map<String, Object> config(Object... keysAndValues) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        m.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
      return m;
    }

    static void learningRate(double lr) {
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw new OptimizerSettingException("", "learning_rate", " must be positive, got " + lr);
      }
    }

    static void epsilon(double epsilon) {
      if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
        throw new OptimizerSettingException("", "epsilon", " must be positive, got " + epsilon);
      }
    }

    /** {@code [0, 1]} when {@code oneAllowed}, else {@code [0, 1)}. */
    static void inUnit(String what, double value, boolean oneAllowed) {
      if (!(value >= 0 && (oneAllowed ? value <= 1 : value < 1))) {
        throw new OptimizerSettingException(
            "", what, " must be in [0, 1" + (oneAllowed ? "]" : ")") + ", got " + value);
      }
    }
  }
}
