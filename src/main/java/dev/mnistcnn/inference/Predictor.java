package dev.mnistcnn.inference;

import dev.mnistcnn.data.DatasetKind;
import dev.mnistcnn.data.GreyLevels;
import dev.mnistcnn.data.IdxArray;
import dev.mnistcnn.graph.ServingGraph;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.io.ModelFormat;
import dev.mnistcnn.io.ModelReader;
import dev.mnistcnn.io.ModelTrust;
import dev.mnistcnn.io.SavedModelGuard;
import dev.mnistcnn.io.SavedModels;
import dev.mnistcnn.model.ModelWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Classifies 28x28 grayscale images with any model whose serving signature takes one float32 {@code
 * [-1, 28, 28, 1]} tensor in [0, 1] and returns {@code [-1, classes]} probabilities: our own
 * SavedModels, Keras {@code model.export()} directories, and .keras/.h5 files (rebuilt in memory).
 * Input and output names come from the signature, never hard-coded.
 *
 * <p>Thread-safe: TensorFlow sessions run concurrent calls; every tensor and result is closed.
 *
 * <p>Speed (docs/benchmarks-inference.md): each call runs the session directly with the input and
 * output resolved once at load, its ops in the calling thread ({@link SessionConfigs#inference()}),
 * and large batches in chunks of {@value #CHUNK} images, whose activations stay in the CPU's cache
 * where a 1,000-image batch's (70 MB) do not. Where sessions have their own thread pools ({@link
 * SessionConfigs#perSessionPools()}, as the command line runs), runs of up to {@value #SMALL_RUN}
 * images go to a second session of the same model on one intra-op thread: a single image is then
 * about twice as fast, as splitting a few microseconds of work across threads costs more than it
 * saves, while batches keep every core.
 */
public final class Predictor implements AutoCloseable {
  /** Side of the square images the model takes: the dataset's. */
  public static final int IMAGE_SIDE = DatasetKind.IMAGE_SIDE;

  public static final int IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE;

  /** Images per session run: larger batches are split (measured best: 64-256). */
  static final int CHUNK = 128;

  /** Runs of at most this many images go to the one-thread session (measured crossover: 8). */
  static final int SMALL_RUN = 4;

  /** A session of the model with its input and output resolved. */
  private record Lane(Session session, Output<?> input, Output<?> output) {
    static Lane of(Session session, Signature signature, String inputKey, String outputKey) {
      Graph graph = session.graph();
      return new Lane(
          session,
          graph.outputOrThrow(signature.getInputs().get(inputKey).name),
          graph.outputOrThrow(signature.getOutputs().get(outputKey).name));
    }

    /** One session run on {@code n} images, their probabilities copied into {@code probs}. */
    void run(FloatDataBuffer images, int n, FloatDataBuffer probs) {
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(n, IMAGE_SIDE, IMAGE_SIDE, 1), images);
          Result result = session.runner().feed(input, in).fetch(output).run()) {
        ((TFloat32) result.get(0)).copyTo(probs);
      }
    }
  }

  private final Lane lane;
  private final Lane smallLane;
  private final Signature signature;
  private final String inputKey;
  private final String outputKey;
  private final int classes;
  private final String description;
  private final List<AutoCloseable> owned;

  private Predictor(
      Session session,
      Session smallSession,
      Signature signature,
      String inputKey,
      String outputKey,
      int classes,
      String description,
      List<AutoCloseable> owned) {
    this.lane = Lane.of(session, signature, inputKey, outputKey);
    this.smallLane =
        smallSession == null ? lane : Lane.of(smallSession, signature, inputKey, outputKey);
    this.signature = signature;
    this.inputKey = inputKey;
    this.outputKey = outputKey;
    this.classes = classes;
    this.description = description;
    this.owned = owned;
  }

  /**
   * Opens a SavedModel directory, a {@code .keras} file or a legacy {@code .h5} file; a
   * SavedModel's graph is checked against the op allowlist before TensorFlow loads it.
   */
  public static Predictor open(Path path) throws InferenceException {
    return open(path, ModelTrust.CHECKED);
  }

  /** {@link #open(Path)}, with {@link ModelTrust#TRUSTED} loading a SavedModel unchecked. */
  public static Predictor open(Path path, ModelTrust trust) throws InferenceException {
    ModelFormat format;
    try {
      format = ModelFormat.detect(path);
      if (format != ModelFormat.SAVED_MODEL) {
        return fromWeights(ModelReader.readWeights(path), format.cliName() + " file " + path);
      }
      SavedModelGuard.check(path, trust);
      SavedModels.checkHasVariables(path);
    } catch (IOException e) {
      throw new InferenceException(e.getMessage(), e);
    }
    SavedModelBundle bundle = load(path, SessionConfigs.inference());
    SavedModelBundle small = null;
    try {
      ConfigProto oneThread = SessionConfigs.inferenceOneThread();
      small = oneThread == null ? null : load(path, oneThread);
      Signature signature = servingSignature(bundle, path);
      return fromSignature(
          bundle.session(),
          small == null ? null : small.session(),
          signature,
          "SavedModel " + path,
          bundle,
          small);
    } catch (InferenceException | RuntimeException e) {
      bundle.close();
      if (small != null) {
        small.close();
      }
      throw e;
    }
  }

  private static SavedModelBundle load(Path path, ConfigProto config) throws InferenceException {
    try {
      return SavedModelBundle.loader(path.toString())
          .withTags(SavedModelBundle.DEFAULT_TAG)
          .withConfigProto(config)
          .load();
    } catch (RuntimeException e) {
      throw new InferenceException(
          "cannot load SavedModel " + path + ": " + SavedModels.firstLine(e.getMessage()), e);
    }
  }

  /** A predictor over weights held in memory, in a graph built from their spec. */
  public static Predictor fromWeights(ModelWeights weights, String description)
      throws InferenceException {
    ServingGraph serving = ServingGraph.of(weights, SessionConfigs.inference());
    ServingGraph small = null;
    try {
      ConfigProto oneThread = SessionConfigs.inferenceOneThread();
      small = oneThread == null ? null : ServingGraph.of(weights, oneThread);
      return fromSignature(
          serving.session(),
          small == null ? null : small.session(),
          serving.signature(),
          description,
          serving,
          small);
    } catch (RuntimeException | InferenceException e) {
      serving.close();
      if (small != null) {
        small.close();
      }
      throw e;
    }
  }

  private static Signature servingSignature(SavedModelBundle bundle, Path path)
      throws InferenceException {
    List<Signature> signatures = bundle.signatures();
    for (Signature s : signatures) {
      if (s.key().equals(Signature.DEFAULT_KEY)) {
        return s;
      }
    }
    if (signatures.size() == 1) {
      return signatures.get(0);
    }
    throw new InferenceException(
        "SavedModel "
            + path
            + " has no '"
            + Signature.DEFAULT_KEY
            + "' signature (found "
            + signatures.stream().map(Signature::key).toList()
            + ")");
  }

  /**
   * A predictor over {@code session} (and {@code smallSession}, the same model on one thread, or
   * null), closing {@code owned} (nulls skipped) when closed.
   */
  private static Predictor fromSignature(
      Session session,
      Session smallSession,
      Signature sig,
      String description,
      AutoCloseable... owned)
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
    Shape expected = Shape.of(-1, IMAGE_SIDE, IMAGE_SIDE, 1);
    if (input.getValue().dataType != DataType.DT_FLOAT
        || in.numDimensions() != 4
        || in.get(1) != IMAGE_SIDE
        || in.get(2) != IMAGE_SIDE
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
    if (out.numDimensions() != 2 || out.get(1) < 2) {
      throw new InferenceException(
          description
              + ": model output '"
              + output.getKey()
              + "' is "
              + out
              + ", expected [-1, classes] probabilities");
    }
    List<AutoCloseable> closeables = new ArrayList<>();
    for (AutoCloseable c : owned) {
      if (c != null) {
        closeables.add(c);
      }
    }
    return new Predictor(
        session,
        smallSession,
        sig,
        input.getKey(),
        output.getKey(),
        (int) out.get(1),
        description,
        List.copyOf(closeables));
  }

  /** Number of classes the model predicts. */
  public int classes() {
    return classes;
  }

  public String inputName() {
    return inputKey;
  }

  public String outputName() {
    return outputKey;
  }

  public String signatureKey() {
    return signature.key();
  }

  /** The signature's method, as the model file names it ({@code tensorflow/serving/predict}). */
  public String methodName() {
    return signature.methodName();
  }

  /** What was loaded, for messages. */
  public String description() {
    return description;
  }

  /** Classifies one image of {@value #IMAGE_SIZE} floats in [0, 1], row-major. */
  public Prediction predict(float[] image) {
    return predictBatch(image, 1).get(0);
  }

  /**
   * Records {@code from} to {@code from + count - 1} of an IDX image file ({@code [n, 28, 28]}
   * unsigned bytes), scaled to [0, 1] as in training, end to end.
   */
  public static float[] pixels(IdxArray images, int from, int count) {
    int[] dims = images.dims();
    if (dims.length != 3 || dims[1] != IMAGE_SIDE || dims[2] != IMAGE_SIDE) {
      throw new IllegalArgumentException(
          "IDX file does not hold 28x28 images (dimensions " + Arrays.toString(dims) + ")");
    }
    if (from < 0 || count < 1 || (long) from + count > dims[0]) {
      throw new IllegalArgumentException(
          "records " + from + ".." + ((long) from + count - 1) + " outside 0.." + (dims[0] - 1));
    }
    float[] out = new float[count * IMAGE_SIZE];
    GreyLevels.toUnit(images.data(), from * IMAGE_SIZE, out, 0, out.length);
    return out;
  }

  /** Class probabilities for {@code count} images laid end to end in {@code images}. */
  public float[] probabilities(float[] images, int count) {
    if (count <= 0 || images.length != (long) count * IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "expected "
              + count
              + " images of "
              + IMAGE_SIZE
              + " values, got "
              + images.length
              + " values");
    }
    float[] probs = new float[count * classes];
    FloatDataBuffer in = DataBuffers.of(images, true, false);
    FloatDataBuffer out = DataBuffers.of(probs, false, false);
    for (int from = 0; from < count; from += CHUNK) {
      int n = Math.min(CHUNK, count - from);
      (n <= SMALL_RUN ? smallLane : lane)
          .run(
              in.slice((long) from * IMAGE_SIZE, (long) n * IMAGE_SIZE),
              n,
              out.slice((long) from * classes, (long) n * classes));
    }
    return probs;
  }

  /** Whether runs of a few images have a one-thread session of their own (see the class doc). */
  public boolean hasOneThreadLane() {
    return smallLane.session() != lane.session();
  }

  /** Classifies {@code count} images laid end to end in {@code images}. */
  public List<Prediction> predictBatch(float[] images, int count) {
    float[] probs = probabilities(images, count);
    List<Prediction> predictions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] p = new float[classes];
      System.arraycopy(probs, i * classes, p, 0, classes);
      predictions.add(Prediction.of(p));
    }
    return predictions;
  }

  @Override
  public void close() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + description, e);
      }
    }
  }
}
