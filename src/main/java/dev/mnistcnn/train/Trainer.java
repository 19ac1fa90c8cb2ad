package dev.mnistcnn.train;

import dev.mnistcnn.data.Split;
import dev.mnistcnn.graph.GraphVariables;
import dev.mnistcnn.graph.ModelGraph;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.graph.Tensors;
import dev.mnistcnn.graph.VariableValue;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains a model in a TensorFlow {@code Session}: softmax cross-entropy on the logits (as Keras
 * does for a softmax output), Adam, data shuffled each epoch from the seed. Metrics are computed by
 * ops whose values are fetched and summed in Java, so no metric variable ever gets optimizer slots.
 * Owns native state: close it.
 */
public final class Trainer implements AutoCloseable {
  private final TrainingConfig config;
  private final Graph graph;
  private final Session session;
  private final ModelGraph model;
  private final Placeholder<TInt32> labels;
  private final PlaceholderWithDefault<TBool> training;
  private final Operand<TFloat32> meanLoss;
  private final Operand<TFloat32> lossSum;
  private final Operand<TInt32> correct;
  private final Op minimize;
  private final GraphVariables allVariables;
  private final Random shuffleRng;
  private final int imageSize;

  /** The {@code training = true} feed, made once: feeding does not consume a tensor. */
  private final TBool trainingOn = TBool.scalarOf(true);

  public Trainer(ModelWeights initial, TrainingConfig config) {
    this.config = config;
    this.shuffleRng = new Random(config.seed());
    this.imageSize = initial.spec().inputShape().stream().reduce(1, Math::multiplyExact);
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      training = tf.withName("training").placeholderWithDefault(tf.constant(false), Shape.scalar());
      model =
          ModelGraph.build(
              tf, initial.spec(), training, config.seed(), augmentation(tf, training, config));
      if (model.logits() == null) {
        throw new IllegalArgumentException(
            "the model must end in a softmax to be trained with categorical cross-entropy");
      }
      int classes = initial.spec().outputShape().get(0);
      labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> oneHot =
          tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> perExample =
          tf.nn.softmaxCrossEntropyWithLogits(model.logits(), oneHot).loss();
      meanLoss = tf.math.mean(perExample, tf.constant(0));
      lossSum = tf.sum(perExample, tf.constant(0));
      Operand<TInt32> predicted = tf.math.argMax(model.logits(), tf.constant(1), TInt32.class);
      correct =
          tf.sum(tf.dtypes.cast(tf.math.equal(predicted, labels), TInt32.class), tf.constant(0));
      minimize = trainStep(tf, graph, meanLoss, model, config);
      allVariables = GraphVariables.of(tf, graph);
      Session s =
          new Session(
              graph,
              SessionConfigs.training(
                  config.precision() == Precision.BF16, config.deterministic()));
      try {
        s.initialize();
        model.assign(s, initial);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      session = s;
    } catch (RuntimeException e) {
      trainingOn.close();
      graph.close();
      throw e;
    }
  }

  /**
   * The recipe's augmentation of training batches, as a transform of the input placeholder:
   * distorted images when {@code training} is true, the images as fed otherwise (validation).
   */
  private static UnaryOperator<Operand<TFloat32>> augmentation(
      Ops tf, Operand<TBool> training, TrainingConfig config) {
    ImageAugmentation augmentation = config.augmentation();
    if (augmentation.isNone()) {
      return UnaryOperator.identity(); // no ops: the seed recipe's graph is as it always was
    }
    Ops scope = tf.withSubScope("augmentation");
    return images ->
        scope.select(training, augmentation.apply(scope, images, config.seed()), images);
  }

  /**
   * The optimizer on the trainable weights only, run together with the model's state updates
   * (BatchNormalization's moving statistics, which have no useful gradient).
   */
  private static Op trainStep(
      Ops tf, Graph graph, Operand<TFloat32> loss, ModelGraph model, TrainingConfig config) {
    Op apply =
        KerasOptimizer.minimize(
            tf,
            graph,
            loss,
            model.nonTrainableVariableNames(),
            config.optimizer(),
            config.schedule());
    if (model.updates().isEmpty()) {
      return apply;
    }
    List<Op> step = new ArrayList<>(model.updates());
    step.add(apply);
    return tf.withControlDependencies(step).withName("train_step").noOp();
  }

  /**
   * Runs {@code config.epochs()} epochs over {@code train} (its first {@code limit} images when a
   * limit is set), validating on {@code validation} after each.
   */
  public List<EpochMetrics> fit(Split train, Split validation, TrainingListener listener) {
    return fit(train, validation, listener, null, Checkpointing.NONE);
  }

  /**
   * As {@link #fit(Split, Split, TrainingListener)}, continuing from {@code resume} (null: from the
   * start) and handing the state to {@code checkpoints} as it asks. Returns the whole history,
   * resumed epochs included; the listener hears of the new ones only.
   */
  public List<EpochMetrics> fit(
      Split train,
      Split validation,
      TrainingListener listener,
      TrainingState resume,
      Checkpointing checkpoints) {
    int n = config.limit() == 0 ? train.count() : Math.min(config.limit(), train.count());
    int batch = Math.min(config.batchSize(), n); // a batch larger than the data is all of it
    int steps = config.stepsPerEpoch(train.count());
    int[] order = IntStream.range(0, n).toArray();
    List<EpochMetrics> history = new ArrayList<>();
    int firstEpoch = 1;
    if (resume != null) {
      restore(resume, steps);
      history.addAll(resume.history());
      firstEpoch = resume.epochsDone() + 1;
      for (int e = 1; e < firstEpoch; e++) {
        shuffle(order); // replays the generator: the next epoch's order is as in a straight run
      }
    }
    float[] fullBatch = new float[batch * imageSize];
    for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
      EpochTotals totals = new EpochTotals(epoch == firstEpoch ? resume : null);
      shuffle(order);
      listener.onEpochStart(epoch, config.epochs(), steps);
      for (int step = totals.firstStep; step < steps; step++) {
        int from = step * batch;
        int size = Math.min(batch, n - from);
        BatchResult r = trainBatch(train, order, from, size, fullBatch);
        requireFiniteLoss(r.meanLoss(), epoch, step + 1);
        totals.add(r, size);
        int seen = from + size;
        listener.onStepEnd(step + 1, steps, totals.loss / seen, (double) totals.correct / seen);
        long globalStep = (long) (epoch - 1) * steps + step + 1;
        if (step + 1 < steps && checkpoints.atStep(globalStep)) {
          checkpoints.sink().accept(totals.state(epoch - 1, step + 1, history, variables()));
        }
      }
      LossAndAccuracy val = evaluate(validation);
      EpochMetrics m =
          new EpochMetrics(
              epoch,
              config.epochs(),
              totals.seconds(),
              totals.loss / n,
              (double) totals.correct / n,
              val.loss(),
              val.accuracy());
      history.add(m);
      listener.onEpochEnd(m);
      if (checkpoints.atEpochEnd((long) epoch * steps, epoch == config.epochs())) {
        checkpoints.sink().accept(new TrainingState(epoch, 0, 0, 0, 0, history, variables()));
      }
    }
    return history;
  }

  /**
   * The running sums of one epoch, and when it started: from zero, or from a checkpoint taken
   * inside it ({@code resumed}, null for none), whose seconds count on.
   */
  private static final class EpochTotals {
    final int firstStep;
    final double earlierSeconds;
    final long start = System.nanoTime();
    double loss;
    long correct;

    EpochTotals(TrainingState resumed) {
      firstStep = resumed == null ? 0 : resumed.stepInEpoch();
      loss = resumed == null ? 0 : resumed.lossSum();
      correct = resumed == null ? 0 : resumed.correctSum();
      earlierSeconds = resumed == null ? 0 : resumed.secondsInEpoch();
    }

    void add(BatchResult r, int size) {
      loss += r.meanLoss() * size;
      correct += r.correct();
    }

    double seconds() {
      return earlierSeconds + (System.nanoTime() - start) / 1e9;
    }

    /** A checkpoint's state inside the epoch, after {@code stepInEpoch} steps. */
    TrainingState state(
        int epochsDone,
        int stepInEpoch,
        List<EpochMetrics> history,
        Map<String, VariableValue> variables) {
      return new TrainingState(
          epochsDone, stepInEpoch, loss, correct, seconds(), history, variables);
    }
  }

  /** One training step on the images {@code order[from .. from+size-1]}. */
  private BatchResult trainBatch(Split train, int[] order, int from, int size, float[] fullBatch) {
    // Full batches reuse one buffer; only a short last batch needs its own.
    float[] images = fullBatch.length == size * imageSize ? fullBatch : new float[size * imageSize];
    train.copyImagesAsFloats(order, from, size, images);
    return runStep(images, labels(train, from, size, i -> order[i]), true, null);
  }

  /** Stops the run at a non-finite loss, as Keras's TerminateOnNaN; nothing is saved. */
  private static void requireFiniteLoss(float meanLoss, int epoch, int step) {
    if (!Float.isFinite(meanLoss)) {
      throw new TrainingDivergedException(
          "training stopped: the loss is "
              + meanLoss
              + " at epoch "
              + epoch
              + ", step "
              + step
              + " (learning rate too high, or non-finite starting weights);"
              + " no model or checkpoint was written");
    }
  }

  /** The labels of the images {@code image(from) .. image(from+size-1)} of {@code data}. */
  private static int[] labels(Split data, int from, int size, IntUnaryOperator image) {
    int[] y = new int[size];
    for (int i = 0; i < size; i++) {
      y[i] = data.label(image.applyAsInt(from + i));
    }
    return y;
  }

  /** Puts {@code state}'s variables into the session, after checking it fits this run. */
  private void restore(TrainingState state, int steps) {
    if (state.epochsDone() > config.epochs()) {
      throw new IllegalArgumentException(
          "the checkpoint is past epoch "
              + state.epochsDone()
              + "; ask for at least that many --epochs");
    }
    if (state.stepInEpoch() >= steps) {
      throw new IllegalArgumentException(
          "the checkpoint is at step "
              + state.stepInEpoch()
              + " of an epoch that has "
              + steps
              + " steps here");
    }
    allVariables.write(session, state.variables());
  }

  /** Mean loss and accuracy over {@code data}, in batches of the recipe's size, no training. */
  public LossAndAccuracy evaluate(Split data) {
    int batch = config.batchSize();
    double lossTotal = 0;
    long correctTotal = 0;
    for (int from = 0; from < data.count(); from += batch) {
      int size = Math.min(batch, data.count() - from);
      float[] images = data.imagesAsFloats(from, size);
      BatchResult r =
          runStep(images, labels(data, from, size, IntUnaryOperator.identity()), false, null);
      lossTotal += r.lossSum();
      correctTotal += r.correct();
    }
    return new LossAndAccuracy(
        lossTotal / data.count(), (double) correctTotal / data.count(), data.count());
  }

  /** What one batch gives back; {@code lossSum} is NaN for training steps, which skip it. */
  private record BatchResult(float meanLoss, int correct, float lossSum) {}

  /**
   * One batch: a training step or, when {@code train} is false, an evaluation. With {@code trace}
   * non-null, TensorFlow's per-op step statistics are collected into it.
   */
  private BatchResult runStep(float[] images, int[] y, boolean train, StepProfile trace) {
    int size = y.length;
    List<Integer> shape = new ArrayList<>(model.spec().inputShape());
    shape.add(0, size);
    try (TFloat32 x = Tensors.floats(images, shape);
        TInt32 yt = Tensors.ints(y)) {
      // Evaluation feeds past the augmentation, so that its ops (which would pass the images
      // through unchanged with training off) do not run at all.
      Session.Runner runner =
          session.runner().feed(train ? model.input() : model.layersInput(), x).feed(labels, yt);
      runner.fetch(meanLoss).fetch(correct);
      if (train) {
        runner.feed(training, trainingOn).addTarget(minimize);
      } else {
        runner.fetch(lossSum);
      }
      if (trace != null) {
        runner.setOptions(StepProfile.FULL_TRACE);
      }
      try (Result r = trace == null ? runner.run() : runner.runAndFetchMetadata()) {
        if (trace != null) {
          r.getMetadata().ifPresent(trace::add);
        }
        return new BatchResult(
            scalar(r, 0), ((TInt32) r.get(1)).getInt(), train ? Float.NaN : scalar(r, 2));
      }
    }
  }

  /**
   * Runs {@code warmup} training steps on the first images of {@code train}, then {@code steps}
   * timed without tracing and {@code steps} with TensorFlow's step tracing, and returns where their
   * time went, op by op. Trains the weights as a side effect: profile a throw-away trainer.
   */
  public StepProfile profile(Split train, int warmup, int steps) {
    int batch = Math.min(config.batchSize(), train.count());
    float[] images = train.imagesAsFloats(0, batch);
    int[] y = labels(train, 0, batch, IntUnaryOperator.identity());
    for (int i = 0; i < warmup; i++) {
      runStep(images, y, true, null);
    }
    StepProfile profile = new StepProfile(batch);
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      runStep(images, y, true, null);
    }
    profile.setUntracedWallNanos(System.nanoTime() - start);
    start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      runStep(images, y, true, profile);
    }
    profile.setWallNanos(System.nanoTime() - start);
    return profile;
  }

  private static float scalar(Result r, int i) {
    return ((TFloat32) r.get(i)).getFloat();
  }

  private void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = shuffleRng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** The current weights. */
  public ModelWeights weights() {
    return model.read(session);
  }

  /** Every graph variable (weights, the optimizer's slots and step counter) by op name. */
  public Map<String, VariableValue> variables() {
    return allVariables.read(session);
  }

  /** The serialized training graph (model, loss, optimizer), for TensorBoard's Graphs tab. */
  public byte[] graphDef() {
    return graph.toGraphDef().toByteArray();
  }

  public TrainingConfig config() {
    return config;
  }

  @Override
  public void close() {
    trainingOn.close();
    session.close();
    graph.close();
  }
}
