package dev.mnistcnn.inference;

import dev.mnistcnn.data.DatasetKind;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.saving.savedmodel.SavedModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * Classifies 28x28 grayscale images with any model whose serving signature takes one float32 {@code
 * [-1, 28, 28, 1]} tensor in [0, 1] and returns {@code [-1, classes]} probabilities: our own
 * SavedModels, Keras {@code model.export()} directories, and .keras/.h5 files (rebuilt in memory).
 * Input and output names come from the signature ({@link ImageSignature}), never hard-coded. {@link
 * #open} hands the file to {@link PredictorLoader}, which detects its format, guards and loads it,
 * checks the signature and runs the model once; this class runs it and closes it.
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
   * Compute bound of one {@link #probabilities} call unless {@link #setRunTimeout} says otherwise:
   * 1,024 images of the seed CNN take about 30 ms on 2 cores.
   */
  public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofSeconds(10);

  /** Runs of at most this many images go to the one-thread session (measured crossover: 8). */
  static final int SMALL_RUN = 4;

  /** A session of the model with its input and output resolved. */
  private record Lane(Session session, Output<?> input, Output<?> output) {
    static Lane of(Session session, ImageSignature signature) {
      Graph graph = session.graph();
      return new Lane(session, signature.input(graph), signature.output(graph));
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
  private final ImageSignature signature;
  private final int classes;
  private final String description;
  private final List<AutoCloseable> owned;
  private volatile Duration runTimeout = DEFAULT_RUN_TIMEOUT;

  /** Images per run of the batch lane: {@value #CHUNK}, less for a slow model (firstRun). */
  private volatile int chunk = CHUNK;

  /**
   * A predictor over {@code session} (and {@code smallSession}, the same model on one thread, or
   * null), closing {@code owned} when closed; {@link PredictorLoader} checks it and runs it first.
   */
  Predictor(
      Session session,
      Session smallSession,
      ImageSignature signature,
      String description,
      List<AutoCloseable> owned) {
    this.lane = Lane.of(session, signature);
    this.smallLane = smallSession == null ? lane : Lane.of(smallSession, signature);
    this.signature = signature;
    this.classes = signature.classes();
    this.description = description;
    this.owned = owned;
  }

  /**
   * Opens a SavedModel directory, a {@code .keras} file or a legacy {@code .h5} file; a
   * SavedModel's graph is checked against the op allowlist before TensorFlow loads it ({@link
   * PredictorLoader}).
   */
  public static Predictor open(Path path) throws InferenceException {
    return PredictorLoader.open(path, ModelTrust.CHECKED);
  }

  /** {@link #open(Path)}, with {@link ModelTrust#TRUSTED} loading a SavedModel unchecked. */
  public static Predictor open(Path path, ModelTrust trust) throws InferenceException {
    return PredictorLoader.open(path, trust);
  }

  /** A predictor over weights held in memory, in a graph built from their spec. */
  public static Predictor fromWeights(ModelWeights weights, String description)
      throws InferenceException {
    return PredictorLoader.fromWeights(weights, description);
  }

  /**
   * Runs each session once before any caller does: the output must be float32 {@code [n, classes]}
   * as the signature says, and (when {@code finite}) finite, which NaN or infinite weights do not
   * give.
   */
  void firstRun(boolean finite) throws InferenceException {
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
    return signature.inputKey();
  }

  public String outputName() {
    return signature.outputKey();
  }

  public String signatureKey() {
    return signature.signature().key();
  }

  /** The signature's method, as the model file names it ({@code tensorflow/serving/predict}). */
  public String methodName() {
    return signature.signature().methodName();
  }

  /** What was loaded, for messages. */
  public String description() {
    return description;
  }

  /** Classifies one image of {@value #IMAGE_SIZE} floats in [0, 1], row-major. */
  public Prediction predict(float[] image) {
    return predictBatch(image, 1).get(0);
  }

  /** Class probabilities for {@code count} images laid end to end in {@code images}. */
  public float[] probabilities(float[] images, int count) {
    return probabilities(images, count, false);
  }

  /**
   * As {@link #probabilities(float[], int)}, every run on the one-thread session (where there is
   * one): for callers that already keep the other cores busy, such as a batch thread of a server,
   * whose request threads parse JSON meanwhile; TensorFlow's pool threads would only wait for work
   * there.
   */
  public float[] probabilitiesOnOneThread(float[] images, int count) {
    return probabilities(images, count, true);
  }

  private float[] probabilities(float[] images, int count, boolean oneThread) {
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
      (oneThread || n <= SMALL_RUN ? smallLane : lane)
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
