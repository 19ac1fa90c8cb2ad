package dev.mnistcnn.graph;

import dev.mnistcnn.model.CallContext;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.WeightSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The forward pass of a {@link ModelSpec} in a TensorFlow graph. Each weight is a variable named
 * after its Keras path ({@link #variableName}) with an assign op fed from a placeholder, so weights
 * move in and out as {@link ModelWeights} without being baked into the GraphDef as constants.
 */
public final class ModelGraph {
  /** Signature and op names, as Keras's {@code model.export()} names them. */
  public static final String INPUT_NAME = "input_layer";

  public static final String OUTPUT_NAME = "output_0";

  /**
   * The variable op name of a Keras weight path: {@code conv2d/kernel} -> {@code conv2d.kernel}.
   * Variables live at the top scope because the framework's optimizers name their slots {@code
   * <variable op name>-m}, which TF Java refuses when the name contains a scope's '/'.
   */
  public static String variableName(String kerasPath) {
    return kerasPath.replace('/', '.');
  }

  private final ModelSpec spec;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> layersInput;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> probabilities;
  private final Map<String, Variable<TFloat32>> variables;
  private final Map<String, Placeholder<TFloat32>> assignValues;
  private final List<Assign<TFloat32>> assigns;
  private final List<Op> updates;

  private ModelGraph(
      ModelSpec spec,
      Placeholder<TFloat32> input,
      Operand<TFloat32> layersInput,
      Operand<TFloat32> logits,
      Operand<TFloat32> probabilities,
      Map<String, Variable<TFloat32>> variables,
      Map<String, Placeholder<TFloat32>> assignValues,
      List<Assign<TFloat32>> assigns,
      List<Op> updates) {
    this.spec = spec;
    this.input = input;
    this.layersInput = layersInput;
    this.logits = logits;
    this.probabilities = probabilities;
    this.variables = variables;
    this.assignValues = assignValues;
    this.assigns = assigns;
    this.updates = updates;
  }

  /**
   * Adds the model to {@code tf}'s graph.
   *
   * @param training true during training steps (drives Dropout), or null for inference only
   * @param seed op-level seed for random layers
   */
  public static ModelGraph build(Ops tf, ModelSpec spec, Operand<TBool> training, long seed) {
    return build(tf, spec, training, seed, UnaryOperator.identity());
  }

  /**
   * As {@link #build(Ops, ModelSpec, Operand, long)}, the first layer taking {@code inputTransform}
   * of the input placeholder (a trainer's data augmentation) instead of the input.
   */
  public static ModelGraph build(
      Ops tf,
      ModelSpec spec,
      Operand<TBool> training,
      long seed,
      UnaryOperator<Operand<TFloat32>> inputTransform) {
    long[] inputDims = new long[spec.inputShape().size() + 1];
    inputDims[0] = -1;
    for (int i = 0; i < spec.inputShape().size(); i++) {
      inputDims[i + 1] = spec.inputShape().get(i);
    }
    Placeholder<TFloat32> input =
        tf.withName(INPUT_NAME).placeholder(TFloat32.class, Placeholder.shape(Shape.of(inputDims)));

    Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    Map<String, Placeholder<TFloat32>> assignValues = new LinkedHashMap<>();
    List<Assign<TFloat32>> assigns = new ArrayList<>();
    List<Op> updates = new ArrayList<>();
    Operand<TFloat32> layersInput = inputTransform.apply(input);
    Operand<TFloat32> x = layersInput;
    Operand<TFloat32> logits = null;
    BehindPooling behindPooling = null; // what the layer before moved behind this max pooling
    List<Layer> layers = spec.layers();
    Map<Integer, List<ModelSpec.WeightRef>> layerWeights = new LinkedHashMap<>();
    spec.weightedLayers().forEach(l -> layerWeights.put(l.layerIndex(), l.weights()));
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      Ops scoped = tf.withSubScope(layer.name());
      List<Operand<TFloat32>> weights = new ArrayList<>();
      for (ModelSpec.WeightRef ref : layerWeights.getOrDefault(i, List.of())) {
        WeightSpec w = ref.spec();
        Shape shape = Shape.of(w.shape().stream().mapToLong(Integer::longValue).toArray());
        Variable<TFloat32> v =
            tf.withName(variableName(ref.path())).variable(shape, TFloat32.class);
        Placeholder<TFloat32> value =
            scoped
                .withName(w.name() + "_value")
                .placeholder(TFloat32.class, Placeholder.shape(shape));
        variables.put(ref.path(), v);
        assignValues.put(ref.path(), value);
        assigns.add(scoped.withName(w.name() + "_assign").assign(v, value));
        weights.add(v);
      }
      CallContext ctx = new CallContext(scoped, training, seed + i, updates::add);
      boolean last = i == layers.size() - 1;
      BehindPooling moving =
          training == null || behindPooling != null || last
              ? null
              : BehindPooling.of(layer, layers.get(i + 1), weights, scoped);
      if (last && layer.endsWithSoftmax()) {
        logits = layer.withoutSoftmax().call(ctx, x, weights);
        x = scoped.nn.softmax(logits);
      } else if (behindPooling != null) {
        x = behindPooling.after(layer.call(ctx, x, weights));
        behindPooling = null;
      } else if (moving != null) {
        x = moving.head().call(ctx, x, moving.headWeights());
        behindPooling = moving;
      } else {
        x = layer.call(ctx, x, weights);
      }
    }
    Operand<TFloat32> probabilities = tf.withName(OUTPUT_NAME).identity(x);
    return new ModelGraph(
        spec,
        input,
        layersInput,
        logits,
        probabilities,
        variables,
        assignValues,
        assigns,
        List.copyOf(updates));
  }

  /**
   * Ops a training step runs besides the optimizer's (BatchNormalization's moving statistics);
   * empty for an inference-only graph.
   */
  public List<Op> updates() {
    return updates;
  }

  /**
   * Variable op names of the weights the optimizer must leave alone (BatchNormalization's moving
   * statistics, which {@link #updates} maintain).
   */
  public java.util.Set<String> nonTrainableVariableNames() {
    return spec.weightRefs().stream()
        .filter(r -> !r.spec().trainable())
        .map(r -> variableName(r.path()))
        .collect(java.util.stream.Collectors.toSet());
  }

  public ModelSpec spec() {
    return spec;
  }

  public Placeholder<TFloat32> input() {
    return input;
  }

  /**
   * What the first layer takes: the input transform's output ({@link #input()} itself when there is
   * none). Feeding images here instead of to {@link #input()} skips the transform's ops.
   */
  public Operand<TFloat32> layersInput() {
    return layersInput;
  }

  /** Pre-softmax scores, or null when the model does not end in a softmax. */
  public Operand<TFloat32> logits() {
    return logits;
  }

  public Operand<TFloat32> probabilities() {
    return probabilities;
  }

  /** Writes {@code weights} into the variables of this graph in {@code session}. */
  public void assign(Session session, ModelWeights weights) {
    if (!weights.spec().weightRefs().stream()
        .map(ModelSpec.WeightRef::path)
        .toList()
        .equals(List.copyOf(variables.keySet()))) {
      throw new IllegalArgumentException("weights do not belong to this model");
    }
    if (assigns.isEmpty()) {
      return; // a model of weightless layers: nothing to run (TensorFlow refuses an empty run)
    }
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (ModelSpec.WeightRef ref : spec.weightRefs()) {
        TFloat32 t = Tensors.floats(weights.get(ref.path()), ref.spec().shape());
        feeds.add(t);
        runner.feed(assignValues.get(ref.path()), t);
      }
      assigns.forEach(runner::addTarget);
      runner.run().close();
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /** Reads the current values of this graph's variables from {@code session}. */
  public ModelWeights read(Session session) {
    return readWeights(session, spec);
  }

  /**
   * Reads the weights of {@code spec} from a session whose graph holds its variables under {@link
   * #variableName}: one built here, or a SavedModel this program wrote.
   */
  public static ModelWeights readWeights(Session session, ModelSpec spec) {
    List<ModelSpec.WeightRef> refs = spec.weightRefs();
    if (refs.isEmpty()) {
      return ModelWeights.of(spec, Map.of()); // a session run needs at least one fetch
    }
    Session.Runner runner = session.runner();
    refs.forEach(r -> runner.fetch(variableName(r.path())));
    Map<String, float[]> values = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < refs.size(); i++) {
        values.put(refs.get(i).path(), Tensors.toArray((TFloat32) result.get(i)));
      }
    }
    return ModelWeights.of(spec, values);
  }
}
