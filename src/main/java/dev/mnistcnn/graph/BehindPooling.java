package dev.mnistcnn.graph;

import dev.mnistcnn.model.ActivatedLayer;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Conv2D;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.MaxPooling2D;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A training graph's rewrite of a layer followed by a max pooling: the layer's per-channel bias and
 * its ReLU run after the pooling instead of before it. Adding a channel's bias (IEEE rounding is
 * monotonic) and ReLU are monotonic, so both commute with a window's maximum: the forward values
 * are the same to the last bit, and the pooling's gradient reaches the same positions. Their work
 * and their gradients' shrink by the pool's area, and the bias gradient no longer joins the
 * convolution's weight gradient in oneDNN's fused kernel, which is slow for one input channel (the
 * seed's first convolution). Inference graphs keep Keras's order, so exported models are Keras's.
 *
 * @param head the layer without what moved, to call on the layer's input
 * @param headWeights the weights {@code head} takes
 * @param bias the bias added after the pooling, or null
 * @param relu whether a ReLU follows the pooling
 * @param tf the layer's scope, where the moved ops go
 */
record BehindPooling(
    Layer head, List<Operand<TFloat32>> headWeights, Operand<TFloat32> bias, boolean relu, Ops tf) {

  /**
   * The rewrite of {@code layer} (called with {@code weights}) when {@code next} is a max pooling
   * and something can move behind it; null otherwise. {@code tf} is the layer's scope.
   */
  static BehindPooling of(Layer layer, Layer next, List<Operand<TFloat32>> weights, Ops tf) {
    if (!(next instanceof MaxPooling2D) || !(layer instanceof ActivatedLayer activated)) {
      return null;
    }
    boolean relu = activated.activation() == ActivationFunction.RELU;
    if (!relu && activated.activation() != ActivationFunction.LINEAR) {
      return null; // the bias cannot pass an activation that stays before the pooling
    }
    ActivatedLayer linear = activated.withActivation(ActivationFunction.LINEAR);
    if (linear instanceof Conv2D conv && conv.useBias()) {
      return new BehindPooling(conv.withoutBias(), weights.subList(0, 1), weights.get(1), relu, tf);
    }
    return relu ? new BehindPooling(linear, weights, null, true, tf) : null;
  }

  /** What follows {@code pooled}, the pooling of the head's output. */
  Operand<TFloat32> after(Operand<TFloat32> pooled) {
    Operand<TFloat32> x = bias == null ? pooled : tf.nn.biasAdd(pooled, bias);
    return relu ? tf.nn.relu(x) : x;
  }
}
