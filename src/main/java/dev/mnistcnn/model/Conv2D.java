package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Conv2D}, channels last, stride 1, {@code valid} padding, glorot-uniform kernel and
 * zero bias: what the seed model uses. Kernel layout (kh, kw, in, out) is TensorFlow's HWIO.
 */
public record Conv2D(
    String name, int filters, int kernelHeight, int kernelWidth, ActivationFunction activation)
    implements ActivatedLayer {

  public Conv2D {
    Layer.requireDimension("filters", filters);
    Layer.requireDimension("kernel_size", kernelHeight);
    Layer.requireDimension("kernel_size", kernelWidth);
  }

  public Conv2D(int filters, int kernelSize, ActivationFunction activation) {
    this(null, filters, kernelSize, kernelSize, activation);
  }

  @Override
  public String kerasClass() {
    return "Conv2D";
  }

  @Override
  public Conv2D withActivation(ActivationFunction activation) {
    return new Conv2D(name, filters, kernelHeight, kernelWidth, activation);
  }

  @Override
  public Conv2D withName(String name) {
    return new Conv2D(name, filters, kernelHeight, kernelWidth, activation);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    Shapes.requireRank(this, in, 3);
    int h = in.get(0) - kernelHeight + 1;
    int w = in.get(1) - kernelWidth + 1;
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException(
          name + ": kernel " + kernelHeight + "x" + kernelWidth + " does not fit input " + in);
    }
    return List.of(h, w, filters);
  }

  @Override
  public List<WeightSpec> weights(List<Integer> in) {
    return List.of(
        new WeightSpec(
            "kernel",
            List.of(kernelHeight, kernelWidth, in.get(2), filters),
            Initializer.GLOROT_UNIFORM),
        new WeightSpec("bias", List.of(filters), Initializer.ZEROS));
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    Ops tf = ctx.tf();
    Operand<TFloat32> conv =
        tf.nn.conv2d(
            input, weights.get(0), List.of(1L, 1L, 1L, 1L), "VALID", Conv2d.dataFormat("NHWC"));
    return activation.apply(tf, tf.nn.biasAdd(conv, weights.get(1)));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("filters", filters);
    c.put("kernel_size", List.of(kernelHeight, kernelWidth));
    c.put("strides", List.of(1, 1));
    c.put("padding", "valid");
    c.put("data_format", "channels_last");
    c.put("dilation_rate", List.of(1, 1));
    c.put("groups", 1);
    Shapes.putWeightedLayerConfig(c, activation);
    return c;
  }

  /** Reads a Keras config, refusing any setting other than those implemented here. */
  static Conv2D fromConfig(LayerConfig c) {
    c.requireChannelsLast();
    c.requirePair("strides", new int[] {1, 1});
    c.requirePair("dilation_rate", new int[] {1, 1});
    c.require("padding", "valid");
    c.require("groups", 1);
    c.require("use_bias", true);
    c.requireNoRegularizers();
    int[] k = c.getPair("kernel_size", null);
    return new Conv2D(c.name(), c.getInt("filters"), k[0], k[1], c.getActivation("activation"));
  }
}
