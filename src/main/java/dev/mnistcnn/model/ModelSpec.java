package dev.mnistcnn.model;

import dev.mnistcnn.data.DatasetKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A Keras {@code Sequential} model as a value: name, input shape (without the batch) and layers.
 * Construction names unnamed layers as Keras does ({@code conv2d}, {@code conv2d_1}, ...) and
 * checks every shape at once, so a bad stack fails here, not at training time.
 */
public record ModelSpec(String name, List<Integer> inputShape, List<Layer> layers) {

  public ModelSpec {
    inputShape = List.copyOf(inputShape);
    for (int d : inputShape) {
      Layer.requireDimension("input_shape", d);
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one layer");
    }
    layers = List.copyOf(assignNames(layers));
    List<Integer> shape = inputShape;
    long parameters = 0;
    for (Layer layer : layers) {
      for (WeightSpec w : layer.weights(shape)) {
        parameters += sizeWithin(w.shape(), MAX_PARAMETERS, layer.name() + " " + w.name());
      }
      shape = layer.outputShape(shape);
      sizeWithin(shape, MAX_ACTIVATIONS, "output of layer " + layer.name());
    }
    if (parameters > MAX_PARAMETERS) {
      throw new IllegalArgumentException(
          "the model has "
              + parameters
              + " parameters, more than the "
              + MAX_PARAMETERS
              + " this program loads");
    }
  }

  /**
   * Most weights a model may have (the seed CNN has 225,546): a file cannot ask for more memory.
   */
  public static final long MAX_PARAMETERS = 100_000_000L;

  /**
   * Most floating-point operations per image ({@link #flopsPerImage}) a model file may ask for
   * unless trusted: 200x the seed CNN's 5 MFLOP, about 3 ms an image on 2 cores at their 300
   * GFLOP/s peak. Two {@code Conv2D(2048)} in a 381 KB file took 5.3 s for 16 images.
   */
  public static final long MAX_FLOPS_PER_IMAGE = 1_000_000_000L;

  /** Most values one layer may output per image (the seed CNN's largest: 18,432). */
  public static final long MAX_ACTIVATIONS = 1L << 24;

  private static long sizeWithin(List<Integer> shape, long max, String what) {
    long size = 1;
    for (int d : shape) {
      size *= d; // each factor is at most MAX_DIMENSION or a bounded product: no overflow
      if (size > max) {
        throw new IllegalArgumentException(
            what + " has shape " + shape + ", more than the " + max + " values this program loads");
      }
    }
    return size;
  }

  /** The seed model of the original {@code mnist.py}, channels last. */
  public static ModelSpec seedCnn() {
    return new ModelSpec(
        "sequential",
        List.of(DatasetKind.IMAGE_SIDE, DatasetKind.IMAGE_SIDE, 1),
        List.of(
            new Conv2D(32, 5, ActivationFunction.RELU),
            new MaxPooling2D(2),
            new Conv2D(64, 3, ActivationFunction.RELU),
            new MaxPooling2D(2),
            new Flatten(),
            new Dense(128, ActivationFunction.RELU),
            new Dense(10, ActivationFunction.SOFTMAX)));
  }

  private static List<Layer> assignNames(List<Layer> layers) {
    Map<String, Integer> counters = new HashMap<>();
    Set<String> taken = new HashSet<>();
    for (Layer l : layers) {
      if (l.name() != null && !taken.add(l.name())) {
        throw new IllegalArgumentException("duplicate layer name '" + l.name() + "'");
      }
    }
    List<Layer> named = new ArrayList<>();
    for (Layer l : layers) {
      if (l.name() != null) {
        named.add(l);
        continue;
      }
      String base = l.kerasSnakeName();
      String candidate;
      do {
        int n = counters.merge(base, 1, Integer::sum) - 1;
        candidate = n == 0 ? base : base + "_" + n;
      } while (taken.contains(candidate));
      taken.add(candidate);
      named.add(l.withName(candidate));
    }
    return named;
  }

  /** Input shape of layer {@code i} (without the batch). */
  public List<Integer> inputShapeOf(int i) {
    List<Integer> shape = inputShape;
    for (int k = 0; k < i; k++) {
      shape = layers.get(k).outputShape(shape);
    }
    return shape;
  }

  /** Output shape of the whole model (without the batch). */
  public List<Integer> outputShape() {
    return layers.get(layers.size() - 1).outputShape(inputShapeOf(layers.size() - 1));
  }

  /** Every weight of the model, in layer order, with its Keras path ({@code conv2d/kernel}). */
  public List<WeightRef> weightRefs() {
    return weightedLayers().stream().flatMap(l -> l.weights().stream()).toList();
  }

  /**
   * The layers that have weights, in layer order, each with its weights in Keras's order: the unit
   * every weight file stores (a group per layer, weights by index inside). Walking this list is the
   * one way weights are read and written, whatever the format.
   */
  public List<LayerWeights> weightedLayers() {
    List<LayerWeights> out = new ArrayList<>();
    List<Integer> shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      List<WeightRef> refs = new ArrayList<>();
      List<WeightSpec> specs = layer.weights(shape);
      for (int w = 0; w < specs.size(); w++) {
        refs.add(new WeightRef(i, w, layer, specs.get(w)));
      }
      if (!refs.isEmpty()) {
        out.add(new LayerWeights(i, layer, List.copyOf(refs)));
      }
      shape = layer.outputShape(shape);
    }
    return out;
  }

  /**
   * Floating-point operations of one image's forward pass, as TensorFlow's profiler counts them: a
   * multiply and an add per kernel weight at each output position (a convolution's pixels, a dense
   * layer's one), plus one per value read or written by every layer (activations, bias, pooling,
   * normalisation). The seed CNN: about 5 MFLOP.
   */
  public long flopsPerImage() {
    long flops = 0;
    List<Integer> shape = inputShape;
    for (Layer layer : layers) {
      List<Integer> out = layer.outputShape(shape);
      long outValues = values(out);
      flops += Math.max(values(shape), outValues);
      for (WeightSpec w : layer.weights(shape)) {
        List<Integer> k = w.shape();
        if (k.size() >= 2) { // a kernel: its last axis is the output channels
          long positions = outValues / k.get(k.size() - 1);
          flops = Math.addExact(flops, Math.multiplyExact(2L * w.size(), positions));
        }
      }
      shape = out;
    }
    return flops;
  }

  private static long values(List<Integer> shape) {
    return shape.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
  }

  public long parameterCount() {
    return weightRefs().stream().mapToLong(r -> r.spec().size()).sum();
  }

  /** Weights the optimizer does not train (BatchNormalization's moving statistics). */
  public long nonTrainableParameterCount() {
    return weightRefs().stream()
        .filter(r -> !r.spec().trainable())
        .mapToLong(r -> r.spec().size())
        .sum();
  }

  /** Fresh weights from Keras's initializers, reproducible from {@code seed}. */
  public ModelWeights initialWeights(long seed) {
    Random rng = new Random(seed);
    Map<String, float[]> values = new java.util.LinkedHashMap<>();
    for (WeightRef ref : weightRefs()) {
      values.put(ref.path(), ref.spec().initializer().sample(ref.spec().shape(), rng));
    }
    return ModelWeights.of(this, values);
  }

  /** A layer with weights and its weights, in Keras's order. */
  public record LayerWeights(int layerIndex, Layer layer, List<WeightRef> weights) {}

  /**
   * A weight of a layer: where it sits ({@code index} within its layer, Keras's {@code vars/<i>})
   * and what it is.
   */
  public record WeightRef(int layerIndex, int index, Layer layer, WeightSpec spec) {
    /** {@code layer/weight}: the key of {@link ModelWeights} and the variable name in graphs. */
    public String path() {
      return layer.name() + "/" + spec.name();
    }

    /** Names the weight in errors: {@code layer 'conv2d' kernel}. */
    public String describe() {
      return "layer '" + layer.name() + "' " + spec.name();
    }
  }
}
