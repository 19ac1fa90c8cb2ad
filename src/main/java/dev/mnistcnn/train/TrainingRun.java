package dev.mnistcnn.train;

import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.train.tensorboard.TensorBoardListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One training run, the {@code train} use case up to its model file: continue from a checkpoint or
 * start from {@code initial}, fit on the dataset's training split validating on its test split
 * (progress to the caller's listener and, with a {@code logdir}, to TensorBoard), then evaluate the
 * trained model on the test split. It says how its model was made ({@link #provenance});
 * checkpoints and the model file are the caller's ({@link Checkpoints}, {@link Result}).
 *
 * @param logdir where TensorBoard's event files go, or null for none
 */
public record TrainingRun(
    TrainingConfig config, ModelWeights initial, Dataset dataset, Path logdir) {

  /** Where a run's state is kept across processes. */
  public interface Checkpoints {
    /**
     * The state to continue from, or null to start afresh. Called first, before anything is made,
     * so that a refusal (a folder holding another run's checkpoints) leaves nothing behind.
     */
    TrainingState resume() throws IOException;

    /** How the training loop hands on its state; called once the trainer is built. */
    Checkpointing checkpointing();
  }

  /**
   * What a finished run gives: the trained weights, each epoch's metrics (resumed ones included)
   * and the test split's loss and accuracy.
   */
  public record Result(ModelWeights weights, List<EpochMetrics> history, LossAndAccuracy test) {}

  /** Trains, validating each epoch, and evaluates; the trainer is closed when this returns. */
  public Result run(TrainingListener listener, Checkpoints checkpoints) throws IOException {
    TrainingState resumed = checkpoints.resume();
    try (Trainer trainer = new Trainer(initial, config);
        TensorBoardListener board =
            logdir == null
                ? null
                : new TensorBoardListener(logdir, trainer::weights, trainer.graphDef())) {
      List<EpochMetrics> history =
          trainer.fit(
              dataset.train(),
              dataset.test(),
              board == null ? listener : TrainingListeners.of(listener, board),
              resumed,
              checkpoints.checkpointing());
      LossAndAccuracy test = trainer.evaluate(dataset.test());
      return new Result(trainer.weights(), history, test);
    }
  }

  /**
   * How the model of {@code result} was made: the dataset's checksums, the recipe and seed, the
   * results, the model's Keras config and the runtime's versions.
   *
   * @param origin the command that made it, e.g. {@code "mnist-cnn train"}
   * @param precisionChoice why {@code auto} picked the precision, or null when the user named it
   * @param parent the provenance of the model this run fine-tuned, or null
   */
  public Provenance provenance(
      Result result, String origin, String precisionChoice, Provenance parent) {
    return Provenance.create(
        RuntimeVersions.current(),
        origin,
        dataset.provenance(),
        config.provenance(precisionChoice),
        result.test().provenance(result.history()),
        null,
        KerasModelConfig.toKeras3(result.weights().spec()),
        parent);
  }
}
