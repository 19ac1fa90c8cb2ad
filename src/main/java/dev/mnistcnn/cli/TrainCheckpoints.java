package dev.mnistcnn.cli;

import dev.mnistcnn.saving.checkpoint.CheckpointRefusedException;
import dev.mnistcnn.saving.checkpoint.CheckpointStore;
import dev.mnistcnn.saving.checkpoint.RunIdentity;
import dev.mnistcnn.train.Checkpointing;
import dev.mnistcnn.train.TrainingRun;
import dev.mnistcnn.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code train}'s checkpoint folders for a {@link TrainingRun}: {@code --resume} continues from the
 * newest complete checkpoint there (said on {@code out}), {@code --checkpoint-dir} (or the resumed
 * folder) takes this run's checkpoints and no other run's.
 *
 * @param resumeFrom where to resume from, or null to start afresh
 * @param writeTo where checkpoints go, or null for none
 * @param everySteps steps between checkpoints, 0 for each epoch
 */
record TrainCheckpoints(
    CheckpointStore resumeFrom,
    CheckpointStore writeTo,
    int everySteps,
    RunIdentity run,
    int steps,
    int epochs,
    PrintWriter out)
    implements TrainingRun.Checkpoints {

  @Override
  public TrainingState resume() throws IOException {
    TrainingState state = resumeFrom == null ? null : latest();
    if (writeTo != null) {
      writeTo.requireOnlyRun(run); // before the logdir is made and the first step is taken
    }
    return state;
  }

  @Override
  public Checkpointing checkpointing() {
    return writeTo == null
        ? Checkpointing.NONE
        : new Checkpointing(everySteps, writeTo.sink(run, steps, epochs));
  }

  /** The state in the newest checkpoint of {@code resumeFrom}, said where it resumes. */
  private TrainingState latest() throws IOException {
    CheckpointStore.Loaded loaded =
        resumeFrom
            .latest(run)
            .orElseThrow(
                () ->
                    new CheckpointRefusedException(
                        "no complete checkpoint in " + resumeFrom.dir() + " to resume from"));
    TrainingState state = loaded.state();
    out.println(
        "Resumed from "
            + loaded.path()
            + (state.stepInEpoch() == 0
                ? " (after epoch " + state.epochsDone() + "/" + epochs + ")"
                : " (epoch "
                    + (state.epochsDone() + 1)
                    + "/"
                    + epochs
                    + ", step "
                    + state.stepInEpoch()
                    + "/"
                    + steps
                    + ")"));
    out.flush();
    return state;
  }
}
