package dev.mnistcnn.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The learning rate as a function of the optimizer's step, as Keras 3's {@code
 * keras.optimizers.schedules} compute it (no staircase). The step is the optimizer's {@code
 * iterations} read before the step's update: 0 on the first step, as Keras's {@code
 * _get_current_learning_rate} passes it.
 */
public sealed interface LearningRateSchedule {

  /** The rate at {@code iteration} (a float32 scalar), built into {@code tf}'s graph. */
  Operand<TFloat32> at(Ops tf, Operand<TFloat32> iteration);

  /** The rate at {@code step} in Java, computed as {@link #at} does, for messages and tests. */
  double value(long step);

  /** The name of the {@code --lr-schedule} option value. */
  String cliName();

  /** The schedule as recorded in provenance (its Keras class name and config). */
  Map<String, Object> describe();

  /** The learning rate the schedule starts from. */
  float initialRate();

  /** The same schedule from another initial rate (the optimizer's: Keras scales it alike). */
  LearningRateSchedule withInitialRate(float rate);

  /** Keras's plain float learning rate: the seed recipe's. */
  record Constant(float initialRate) implements LearningRateSchedule {
    public Constant {
      requirePositive("learning rate", initialRate);
    }

    @Override
    public Operand<TFloat32> at(Ops tf, Operand<TFloat32> iteration) {
      return tf.constant(initialRate); // no op on the step: the seed's graph stays as it was
    }

    @Override
    public double value(long step) {
      return initialRate;
    }

    @Override
    public Constant withInitialRate(float rate) {
      return new Constant(rate);
    }

    @Override
    public String cliName() {
      return "constant";
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("constant", initialRate);
    }
  }

  /** {@code ExponentialDecay}: {@code lr0 * rate^(step / decaySteps)}. */
  record Exponential(float initialRate, long decaySteps, float decayRate)
      implements LearningRateSchedule {
    public Exponential {
      requirePositive("learning rate", initialRate);
      requirePositiveSteps(decaySteps);
      requirePositive("--decay-rate", decayRate);
    }

    @Override
    public Operand<TFloat32> at(Ops tf, Operand<TFloat32> iteration) {
      Operand<TFloat32> p = tf.math.div(iteration, tf.constant((float) decaySteps));
      return tf.math.mul(tf.constant(initialRate), tf.math.pow(tf.constant(decayRate), p));
    }

    @Override
    public double value(long step) {
      return initialRate * Math.pow(decayRate, (double) step / decaySteps);
    }

    @Override
    public Exponential withInitialRate(float rate) {
      return new Exponential(rate, decaySteps, decayRate);
    }

    @Override
    public String cliName() {
      return "exponential";
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> c = config(initialRate, decaySteps);
      c.put("decay_rate", decayRate);
      c.put("staircase", false);
      return Map.of("ExponentialDecay", c);
    }
  }

  /**
   * {@code CosineDecay} without warmup: {@code lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * s /
   * decaySteps)) + alpha)} with {@code s = min(step, decaySteps)}.
   */
  record Cosine(float initialRate, long decaySteps, float alpha) implements LearningRateSchedule {
    public Cosine {
      requirePositive("learning rate", initialRate);
      requirePositiveSteps(decaySteps);
      if (!(alpha >= 0 && alpha <= 1)) {
        throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
      }
    }

    @Override
    public Operand<TFloat32> at(Ops tf, Operand<TFloat32> iteration) {
      Operand<TFloat32> steps = tf.constant((float) decaySteps);
      Operand<TFloat32> fraction = tf.math.div(tf.math.minimum(iteration, steps), steps);
      Operand<TFloat32> cosine =
          tf.math.mul(
              tf.constant(0.5f),
              tf.math.add(
                  tf.constant(1f),
                  tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), fraction))));
      Operand<TFloat32> decayed =
          tf.math.add(tf.math.mul(tf.constant(1 - alpha), cosine), tf.constant(alpha));
      return tf.math.mul(tf.constant(initialRate), decayed);
    }

    @Override
    public double value(long step) {
      double fraction = (double) Math.min(step, decaySteps) / decaySteps;
      return initialRate * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha);
    }

    @Override
    public Cosine withInitialRate(float rate) {
      return new Cosine(rate, decaySteps, alpha);
    }

    @Override
    public String cliName() {
      return "cosine";
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> c = config(initialRate, decaySteps);
      c.put("alpha", alpha);
      return Map.of("CosineDecay", c);
    }
  }

  private static Map<String, Object> config(float initialRate, long decaySteps) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialRate);
    c.put("decay_steps", decaySteps);
    return c;
  }

  private static void requirePositiveSteps(long decaySteps) {
    if (decaySteps <= 0) {
      throw new IllegalArgumentException("--decay-steps must be positive, got " + decaySteps);
    }
  }

  private static void requirePositive(String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be positive, got %s", what, value));
    }
  }
}
