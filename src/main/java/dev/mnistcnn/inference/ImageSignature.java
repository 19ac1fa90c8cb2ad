package dev.mnistcnn.inference;

import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * A serving signature checked for what {@link Predictor} feeds and reads: one input, float32 {@code
 * [-1, 28, 28, 1]}, and one output, float32 {@code [-1, classes]} with 2 to {@value #MAX_CLASSES}
 * classes, each as TensorFlow's shape inference sees the tensor it names in the loaded graph (a
 * signature only declares; sizes inference leaves open are left to the first run).
 *
 * @param inputKey the signature's name of the input
 * @param outputKey the signature's name of the output
 * @param classes how many classes the output holds
 */
record ImageSignature(Signature signature, String inputKey, String outputKey, int classes) {
  /**
   * Most classes a model may output: Keras's largest layer size. The output buffer is sized from
   * the signature, so a signature claiming 100,000,000 classes must not get that far.
   */
  static final int MAX_CLASSES = 65_536;

  private static final int SIDE = Predictor.IMAGE_SIDE;

  /** {@code sig} checked against the images and against {@code graph}; named in messages so. */
  static ImageSignature check(Signature sig, Graph graph, String description)
      throws InferenceException {
    Map<String, Signature.TensorDescription> inputs = sig.getInputs();
    Map<String, Signature.TensorDescription> outputs = sig.getOutputs();
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw new InferenceException(
          description
              + ": expected one input and one output in signature '"
              + sig.key()
              + "', found inputs "
              + inputs.keySet()
              + " and outputs "
              + outputs.keySet());
    }
    var input = inputs.entrySet().iterator().next();
    var output = outputs.entrySet().iterator().next();
    Shape in = input.getValue().shape;
    Shape expected = Shape.of(-1, SIDE, SIDE, 1);
    if (input.getValue().dataType != DataType.DT_FLOAT
        || in.numDimensions() != 4
        || in.get(1) != SIDE
        || in.get(2) != SIDE
        || in.get(3) != 1) {
      throw new InferenceException(
          description
              + ": model input '"
              + input.getKey()
              + "' is "
              + input.getValue().dataType
              + " "
              + in
              + ", expected DT_FLOAT "
              + expected
              + " (28x28 grayscale images)");
    }
    Shape out = output.getValue().shape;
    if (output.getValue().dataType != DataType.DT_FLOAT
        || out.numDimensions() != 2
        || out.get(1) < 2
        || out.get(1) > MAX_CLASSES) {
      throw new InferenceException(
          description
              + ": model output '"
              + output.getKey()
              + "' is "
              + output.getValue().dataType
              + " "
              + out
              + ", expected DT_FLOAT [-1, classes] probabilities, 2 to "
              + MAX_CLASSES
              + " classes");
    }
    checkAgainstGraph(graph, input, description);
    checkAgainstGraph(graph, output, description);
    return new ImageSignature(sig, input.getKey(), output.getKey(), (int) out.get(1));
  }

  /** The input's tensor in {@code graph}, a graph of the model the signature was checked on. */
  Output<?> input(Graph graph) {
    return graph.outputOrThrow(signature.getInputs().get(inputKey).name);
  }

  /** The output's tensor in {@code graph}. */
  Output<?> output(Graph graph) {
    return graph.outputOrThrow(signature.getOutputs().get(outputKey).name);
  }

  /**
   * A signature's dtype and shape against what TensorFlow's shape inference gives the tensor it
   * names in the loaded graph (sizes it could not infer are left to the first run).
   */
  private static void checkAgainstGraph(
      Graph graph, Map.Entry<String, Signature.TensorDescription> declared, String description)
      throws InferenceException {
    Output<?> tensor = graph.outputOrThrow(declared.getValue().name);
    Shape claimed = declared.getValue().shape;
    Shape inferred = tensor.shape();
    boolean fits = tensor.dataType() == declared.getValue().dataType;
    if (fits && !inferred.isUnknown() && !claimed.isUnknown()) {
      fits = inferred.numDimensions() == claimed.numDimensions();
      for (int i = 0; fits && i < inferred.numDimensions(); i++) {
        long a = inferred.get(i);
        long b = claimed.get(i);
        fits = a < 0 || b < 0 || a == b;
      }
    }
    if (!fits) {
      throw new InferenceException(
          description
              + ": its signature declares '"
              + declared.getKey()
              + "' as "
              + declared.getValue().dataType
              + " "
              + claimed
              + " but the graph computes "
              + tensor.dataType()
              + " "
              + inferred);
    }
  }
}
