package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Conv2D}, channels last, glorot-uniform kernel and zero bias. Kernel layout (kh, kw,
 * in, out) is TensorFlow's HWIO. As in Keras, strides above 1 and dilation above 1 exclude each
 * other.
 */
public record Conv2D(
    String name,
    int filters,
    Size2D kernel,
    Size2D strides,
    Padding padding,
    Size2D dilation,
    boolean useBias,
    ActivationFunction activation)
    implements ActivatedLayer {

  public Conv2D {
    Layer.requireDimension("filters", filters);
    kernel.requirePositive("kernel_size");
    strides.requirePositive("strides");
    dilation.requirePositive("dilation_rate");
    if (!strides.isOne() && !dilation.isOne()) {
      throw new IllegalArgumentException(
          "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides="
              + strides.toList()
              + " and dilation_rate="
              + dilation.toList());
    }
  }

  /** The seed's convolution: stride 1, valid padding, with bias. */
  public Conv2D(int filters, int kernelSize, ActivationFunction activation) {
    this(
        null,
        filters,
        Size2D.square(kernelSize),
        Size2D.square(1),
        Padding.VALID,
        Size2D.square(1),
        true,
        activation);
  }

  @Override
  public String kerasClass() {
    return "Conv2D";
  }

  @Override
  public Conv2D withActivation(ActivationFunction activation) {
    return new Conv2D(name, filters, kernel, strides, padding, dilation, useBias, activation);
  }

  /** The same convolution without its bias (a training graph adds it after a max pooling). */
  public Conv2D withoutBias() {
    return new Conv2D(name, filters, kernel, strides, padding, dilation, false, activation);
  }

  @Override
  public Conv2D withName(String name) {
    return new Conv2D(name, filters, kernel, strides, padding, dilation, useBias, activation);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    Shapes.requireRank(this, in, 3);
    Size2D out = padding.output(this, in.get(0), in.get(1), kernel, strides, dilation);
    return List.of(out.height(), out.width(), filters);
  }

  @Override
  public List<WeightSpec> weights(List<Integer> in) {
    WeightSpec k =
        new WeightSpec(
            "kernel",
            List.of(kernel.height(), kernel.width(), in.get(2), filters),
            Initializer.GLOROT_UNIFORM);
    return useBias
        ? List.of(k, new WeightSpec("bias", List.of(filters), Initializer.ZEROS))
        : List.of(k);
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    Ops tf = ctx.tf();
    Operand<TFloat32> conv =
        tf.nn.conv2d(
            input,
            weights.get(0),
            List.of(1L, (long) strides.height(), (long) strides.width(), 1L),
            padding.tfName(),
            Conv2d.dataFormat("NHWC"),
            Conv2d.dilations(List.of(1L, (long) dilation.height(), (long) dilation.width(), 1L)));
    return activation.apply(tf, useBias ? tf.nn.biasAdd(conv, weights.get(1)) : conv);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("filters", filters);
    c.put("kernel_size", kernel.toList());
    c.put("strides", strides.toList());
    c.put("padding", padding.kerasName());
    c.put("data_format", "channels_last");
    c.put("dilation_rate", dilation.toList());
    c.put("groups", 1);
    Shapes.putWeightedLayerConfig(c, activation, useBias);
    return c;
  }

  /** Reads a Keras config, refusing any setting other than those implemented here. */
  static Conv2D fromConfig(LayerConfig c) {
    c.requireChannelsLast();
    c.require("groups", 1);
    c.requireNoRegularizers();
    c.requireAbsent("lora_rank");
    return new Conv2D(
        c.name(),
        c.getInt("filters"),
        Size2D.of(c.getPair("kernel_size", null)),
        Size2D.of(c.getPair("strides", new int[] {1, 1})),
        c.getPadding(),
        Size2D.of(c.getPair("dilation_rate", new int[] {1, 1})),
        c.getBoolean("use_bias", true),
        c.getActivation("activation"));
  }
}
