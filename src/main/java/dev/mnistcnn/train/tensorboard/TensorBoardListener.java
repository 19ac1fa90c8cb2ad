package dev.mnistcnn.train.tensorboard;

import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes what Keras's {@code TensorBoard(update_freq="batch", histogram_freq=1, write_graph=True)}
 * writes, with the same tags and steps: in {@code train/} the running {@code batch_loss} and {@code
 * batch_accuracy} at each global step (from 1), {@code epoch_loss} and {@code epoch_accuracy} at
 * each epoch (from 0, as Keras counts), a histogram of every weight per epoch and the training
 * graph; in {@code validation/} {@code epoch_loss}, {@code epoch_accuracy} and the same against the
 * global step ({@code evaluation_loss_vs_iterations}, ...). Files are added to {@code logdir};
 * nothing there is removed.
 */
public final class TensorBoardListener implements TrainingListener, AutoCloseable {
  static final String TRAIN = "train";
  static final String VALIDATION = "validation";

  /** The folders this listener writes into its logdir. */
  public static final List<String> RUNS = List.of(TRAIN, VALIDATION);

  private final SummaryWriters writers;
  private final Supplier<ModelWeights> weights;
  private final byte[] graphDef;
  private long stepsBeforeEpoch;
  private long globalStep;
  private boolean graphWritten;

  /**
   * @param weights reads the model's current weights (called once per epoch, between steps)
   * @param graphDef the serialized training {@code GraphDef}, drawn in TensorBoard's Graphs tab
   */
  public TensorBoardListener(Path logdir, Supplier<ModelWeights> weights, byte[] graphDef)
      throws IOException {
    if (Files.exists(logdir) && !Files.isDirectory(logdir)) {
      throw new IOException("--logdir " + logdir + " exists and is not a directory");
    }
    Files.createDirectories(logdir.resolve(TRAIN));
    Files.createDirectories(logdir.resolve(VALIDATION));
    this.writers = new SummaryWriters(logdir, RUNS);
    this.weights = weights;
    this.graphDef = graphDef.clone();
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int steps) {
    stepsBeforeEpoch = globalStep;
    if (!graphWritten) {
      writers.graph(TRAIN, 0, graphDef);
      graphWritten = true;
    }
  }

  @Override
  public void onStepEnd(int step, int steps, double runningLoss, double runningAccuracy) {
    globalStep = stepsBeforeEpoch + step;
    writers.scalar(TRAIN, "batch_loss", globalStep, runningLoss);
    writers.scalar(TRAIN, "batch_accuracy", globalStep, runningAccuracy);
  }

  @Override
  public void onEpochEnd(EpochMetrics m) {
    long epochStep = m.epoch() - 1L;
    writers.scalar(TRAIN, "epoch_loss", epochStep, m.loss());
    writers.scalar(TRAIN, "epoch_accuracy", epochStep, m.accuracy());
    writers.scalar(VALIDATION, "epoch_loss", epochStep, m.valLoss());
    writers.scalar(VALIDATION, "epoch_accuracy", epochStep, m.valAccuracy());
    writers.scalar(VALIDATION, "evaluation_loss_vs_iterations", globalStep, m.valLoss());
    writers.scalar(VALIDATION, "evaluation_accuracy_vs_iterations", globalStep, m.valAccuracy());
    for (Map.Entry<String, float[]> w : weights.get().values().entrySet()) {
      writers.histogram(TRAIN, w.getKey(), epochStep, w.getValue());
    }
    writers.flush();
  }

  @Override
  public void close() {
    writers.close();
  }
}
