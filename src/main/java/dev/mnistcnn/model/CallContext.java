package dev.mnistcnn.model;

import java.util.function.Consumer;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;

/**
 * What a layer needs to build its forward pass.
 *
 * @param tf the ops factory, already scoped to the layer's name
 * @param training a boolean scalar that is true during training steps, or null in an inference-only
 *     graph (layers such as Dropout then become the identity)
 * @param seed the op-level seed for random layers, derived from the run's seed
 * @param updates receives the ops a training step must also run (BatchNormalization's moving
 *     statistics); layers add them only when {@code training} is non-null
 */
public record CallContext(Ops tf, Operand<TBool> training, long seed, Consumer<Op> updates) {

  /** A context whose state updates are dropped: inference, or a forward pass checked alone. */
  public CallContext(Ops tf, Operand<TBool> training, long seed) {
    this(tf, training, seed, op -> {});
  }
}
