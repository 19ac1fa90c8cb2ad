package dev.mnistcnn.graph;

import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.WeightSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Runs one layer on a tiny tensor through the real code: a one-layer {@link ModelSpec}, built by
 * {@link ModelGraph} into a TensorFlow graph, its weights assigned, run in a {@link Session}. For
 * per-layer tests against hand-computed values:
 *
 * <pre>{@code
 * LayerRunner.of(new Dense(3, RELU), 2).weights(kernel, bias).run(input).values()
 * }</pre>
 */
public final class LayerRunner {
  private final Layer layer;
  private final List<Integer> inputShape;
  private float[][] weights = new float[0][];
  private boolean training;
  private long seed = 1;

  private LayerRunner(Layer layer, List<Integer> inputShape) {
    this.layer = layer;
    this.inputShape = inputShape;
  }

  /** {@code layer} taking inputs of {@code inputShape} (without the batch dimension). */
  public static LayerRunner of(Layer layer, Integer... inputShape) {
    return of(layer, List.of(inputShape));
  }

  /** {@code layer} taking inputs of {@code inputShape} (without the batch dimension). */
  public static LayerRunner of(Layer layer, List<Integer> inputShape) {
    return new LayerRunner(layer, List.copyOf(inputShape));
  }

  /** The layer's weights in its own order (kernel, then bias), row-major; none by default. */
  public LayerRunner weights(float[]... values) {
    this.weights = values.clone();
    return this;
  }

  /**
   * Runs as in a training step ({@code training = true}: Dropout drops, BatchNormalization uses the
   * batch's statistics and moves its averages); inference otherwise.
   */
  public LayerRunner training(boolean on) {
    this.training = on;
    return this;
  }

  /** The op-level seed of random layers. */
  public LayerRunner seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The layer's output on a batch of {@code input.length / size(inputShape)} examples. */
  public Output run(float[] input) {
    ModelSpec spec = new ModelSpec("layer_test", inputShape, List.of(layer));
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ModelGraph model = ModelGraph.build(tf, spec, training ? tf.constant(true) : null, seed);
      try (Session session = new Session(graph)) {
        if (!spec.weightRefs().isEmpty()) { // a run with nothing to assign is refused
          model.assign(session, ModelWeights.of(spec, namedWeights(spec)));
        }
        List<Integer> batchShape = new ArrayList<>(inputShape);
        int size = inputShape.stream().reduce(1, Math::multiplyExact);
        batchShape.add(0, input.length / size);
        try (TFloat32 x = Tensors.floats(input, batchShape)) {
          Session.Runner runner = session.runner().feed(model.input(), x);
          if (training) {
            model.updates().forEach(runner::addTarget); // as a training step runs them
          }
          try (Result result = runner.fetch(model.probabilities()).run()) {
            TFloat32 y = (TFloat32) result.get(0);
            return new Output(y.shape().asArray(), Tensors.toArray(y), model.read(session));
          }
        }
      }
    }
  }

  private Map<String, float[]> namedWeights(ModelSpec spec) {
    Layer named = spec.layers().get(0);
    List<WeightSpec> specs = named.weights(inputShape);
    if (specs.size() != weights.length) {
      throw new IllegalArgumentException(
          named.name() + " has " + specs.size() + " weights, got " + weights.length);
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    for (int i = 0; i < weights.length; i++) {
      values.put(named.name() + "/" + specs.get(i).name(), weights[i]);
    }
    return values;
  }

  /** Output shape (batch first) and values, row-major, and the layer's weights after the run. */
  @SuppressWarnings("ArrayRecordComponent") // a result to read, never compared
  public record Output(long[] shape, float[] values, ModelWeights weightsAfter) {
    @Override
    public String toString() {
      return Arrays.toString(shape) + " " + Arrays.toString(values);
    }
  }
}
