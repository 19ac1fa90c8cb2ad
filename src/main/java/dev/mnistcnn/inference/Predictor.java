package dev.mnistcnn.inference;

import dev.mnistcnn.data.DatasetKind;
import dev.mnistcnn.data.GreyLevels;
import dev.mnistcnn.data.IdxArray;
import dev.mnistcnn.graph.ServingGraph;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.io.ModelFormat;
import dev.mnistcnn.io.ModelReader;
import dev.mnistcnn.io.ModelTrust;
import dev.mnistcnn.io.NativeStack;
import dev.mnistcnn.io.SavedModelGuard;
import dev.mnistcnn.io.SavedModels;
import dev.mnistcnn.model.ModelWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
import org.tensorflow.Tensor;
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

  /**
   * Longest a chunk should take: the run timeout is checked between chunks (TensorFlow's own
   * timeout does not reach ops run in the caller's thread), so a model slow enough to take longer
   * per {@value #CHUNK} images runs in smaller chunks, sized from its timed first run.
   */
  static final long CHUNK_TARGET_NANOS = 1_000_000_000L;

  /**
   * Most classes a model may output: Keras's largest layer size. The output buffer is sized from
   * the signature, so a signature claiming 100,000,000 classes must not get that far.
   */
  public static final int MAX_CLASSES = 65_536;

  /**
   * Compute bound of one {@link #probabilities} call unless {@link #setRunTimeout} says otherwise:
   * 1,024 images of the seed CNN take about 30 ms on 2 cores.
   */
  public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofSeconds(10);

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

    /**
     * One session run on {@code n} images, their probabilities copied into {@code probs} once the
     * result is seen to be float32 {@code [n, classes]} (a signature only claims what the graph
     * computes).
     */
    void run(FloatDataBuffer images, int n, FloatDataBuffer probs, int classes) {
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(n, IMAGE_SIDE, IMAGE_SIDE, 1), images);
          Result result = session.runner().feed(input, in).fetch(output).run()) {
        Tensor out = result.get(0);
        Shape expected = Shape.of(n, classes);
        if (!(out instanceof TFloat32 probabilities) || !out.shape().equals(expected)) {
          throw new IllegalStateException(
              "the model computed "
                  + out.dataType()
                  + " "
                  + out.shape()
                  + " for "
                  + n
                  + " images where its signature promises DT_FLOAT "
                  + expected);
        }
        probabilities.copyTo(probs);
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
  private volatile Duration runTimeout = DEFAULT_RUN_TIMEOUT;

  /** Images per run of the batch lane: {@value #CHUNK}, less for a slow model (firstRun). */
  private volatile int chunk = CHUNK;

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
        return fromWeights(
            ModelReader.readWeights(path, trust), format.cliName() + " file " + path);
      }
      SavedModelGuard.check(path, trust);
      SavedModels.checkHasVariables(path);
    } catch (IOException e) {
      throw new InferenceException(e.getMessage(), e);
    }
    // Loading and the first run (where grappler rewrites the graph) recurse in native code.
    return NativeStack.call(InferenceException.class, () -> openSavedModel(path, trust));
  }

  private static Predictor openSavedModel(Path path, ModelTrust trust) throws InferenceException {
    SavedModelBundle bundle = load(path, SessionConfigs.inference());
    SavedModelBundle small = null;
    try {
      ConfigProto oneThread = SessionConfigs.inferenceOneThread();
      small = oneThread == null ? null : load(path, oneThread);
      Signature signature = servingSignature(bundle, path);
      Predictor p =
          fromSignature(
              bundle.session(),
              small == null ? null : small.session(),
              signature,
              "SavedModel " + path,
              bundle,
              small);
      p.firstRun(trust == ModelTrust.CHECKED);
      return p;
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
      Predictor p =
          fromSignature(
              serving.session(),
              small == null ? null : small.session(),
              serving.signature(),
              description,
              serving,
              small);
      p.firstRun(false);
      return p;
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
    checkAgainstGraph(session, input, description);
    checkAgainstGraph(session, output, description);
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

  /**
   * A signature's dtype and shape against what TensorFlow's shape inference gives the tensor it
   * names in the loaded graph (sizes it could not infer are left to the first run).
   */
  private static void checkAgainstGraph(
      Session session, Map.Entry<String, Signature.TensorDescription> declared, String description)
      throws InferenceException {
    Output<?> tensor = session.graph().outputOrThrow(declared.getValue().name);
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

  /**
   * Runs each session once before any caller does: the output must be float32 {@code [n, classes]}
   * as the signature says, and (when {@code finite}) finite, which NaN or infinite weights do not
   * give.
   */
  private void firstRun(boolean finite) throws InferenceException {
    float[] images = new float[(SMALL_RUN + 1) * IMAGE_SIZE];
    List<Lane> lanes = hasOneThreadLane() ? List.of(smallLane, lane) : List.of(lane);
    for (int i = 0; i < lanes.size(); i++) {
      Lane l = lanes.get(i);
      int n = i == 0 && lanes.size() > 1 ? 1 : SMALL_RUN + 1;
      float[] probs = new float[n * classes];
      try {
        l.run(
            DataBuffers.of(images, true, false).slice(0, (long) n * IMAGE_SIZE),
            n,
            DataBuffers.of(probs, false, false),
            classes);
      } catch (RuntimeException e) {
        throw new InferenceException(
            description + ": refused at its first run: " + SavedModels.firstLine(e.getMessage()),
            e);
      }
      if (i == lanes.size() - 1) { // the batch lane, which runs the chunks
        chunk = chunkFor(timedRun(l, images, n, probs), n);
      }
      for (float p : probs) {
        if (finite && !Float.isFinite(p)) {
          throw new InferenceException(
              description
                  + ": its output for a blank image is "
                  + p
                  + " (NaN or infinite weights?); pass --trust-model to load it anyway");
        }
      }
    }
  }

  /** Nanoseconds of one more run of {@code n} images, now that the first one has warmed it up. */
  private static long timedRun(Lane l, float[] images, int n, float[] probs) {
    long start = System.nanoTime();
    l.run(
        DataBuffers.of(images, true, false).slice(0, (long) n * IMAGE_SIZE),
        n,
        DataBuffers.of(probs, false, false),
        probs.length / n);
    return System.nanoTime() - start;
  }

  /** {@value #CHUNK} images, or as many as a run of {@code nanos} for {@code n} gives a second. */
  static int chunkFor(long nanos, int n) {
    long perImage = Math.max(1, nanos / n);
    return (int) Math.max(1, Math.min(CHUNK, CHUNK_TARGET_NANOS / perImage));
  }

  /** Images per session run of large batches: {@value #CHUNK}, fewer for a slow model. */
  public int chunk() {
    return chunk;
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
    Duration timeout = runTimeout;
    long timeoutMs = timeout.isZero() ? 0 : Math.max(1, timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos();
    int chunk = this.chunk;
    for (int from = 0; from < count; from += chunk) {
      int n = Math.min(chunk, count - from);
      if (timeoutMs > 0 && from > 0 && System.nanoTime() - deadline >= 0) {
        throw new InferenceTimeoutException(
            "the model ran out of its "
                + timeoutMs
                + " ms after "
                + from
                + " of "
                + count
                + " images");
      }
      (n <= SMALL_RUN ? smallLane : lane)
          .run(
              in.slice((long) from * IMAGE_SIZE, (long) n * IMAGE_SIZE),
              n,
              out.slice((long) from * classes, (long) n * classes),
              classes);
    }
    return probs;
  }

  /**
   * Bounds the compute of each {@link #probabilities} call: past {@code timeout} it throws {@link
   * InferenceTimeoutException}, checked between chunks of about a second. (TensorFlow's own {@code
   * RunOptions.timeout_in_ms} is not passed: it has no effect on sessions that run their ops in the
   * caller's thread, as every inference session here does.) Zero: no bound.
   */
  public void setRunTimeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative run timeout " + timeout);
    }
    this.runTimeout = timeout;
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
