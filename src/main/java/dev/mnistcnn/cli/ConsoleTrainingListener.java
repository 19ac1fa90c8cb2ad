package dev.mnistcnn.cli;

import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Keras {@code verbose=2}-style output: one line per epoch; on a terminal also a live progress bar
 * inside the epoch (on stderr, so piped stdout stays clean lines).
 */
final class ConsoleTrainingListener implements TrainingListener {
  private final PrintWriter out;
  private final boolean interactive;
  private ProgressBar bar;

  ConsoleTrainingListener(PrintWriter out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int steps) {
    if (interactive) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("Epoch " + epoch + "/" + epochs)
              .setInitialMax(steps)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(System.err))
              .setUpdateIntervalMillis(250)
              .clearDisplayOnFinish()
              .build();
    }
  }

  @Override
  public void onStepEnd(int step, int steps, double runningLoss, double runningAccuracy) {
    if (bar != null) {
      bar.stepTo(step);
      bar.setExtraMessage(
          String.format(Locale.ROOT, "loss: %.4f - accuracy: %.4f", runningLoss, runningAccuracy));
    }
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    out.println(metrics.kerasLine());
    out.flush();
  }
}
