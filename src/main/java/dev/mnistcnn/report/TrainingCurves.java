package dev.mnistcnn.report;

import dev.mnistcnn.saving.provenance.EpochMetrics;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Loss and accuracy per epoch, training and validation side by side, as Keras users plot them. */
public final class TrainingCurves {
  static final int WIDTH = 560;
  static final int HEIGHT = 380;

  private TrainingCurves() {}

  /** One PNG: the loss chart left, the accuracy chart right. */
  public static byte[] png(List<EpochMetrics> history) {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("no epochs to plot");
    }
    XYChart loss = chart("Loss", "loss");
    addPair(loss, history, EpochMetrics::loss, EpochMetrics::valLoss);
    XYChart accuracy = chart("Accuracy", "accuracy");
    addPair(accuracy, history, EpochMetrics::accuracy, EpochMetrics::valAccuracy);
    accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    return Charts.png(List.of(loss, accuracy));
  }

  /**
   * {@link #png}, or null after one warning line on {@code err} when the chart cannot be drawn
   * (say, a JVM without fonts): a finished training run must still be saved.
   */
  public static byte[] pngOrWarn(List<EpochMetrics> history, PrintWriter err) {
    try {
      return png(history);
    } catch (RuntimeException | LinkageError | java.awt.AWTError | InternalError e) {
      err.println("warning: no training-curves.png: cannot draw the chart (" + e + ")");
      err.flush();
      return null;
    }
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }

  private static void addPair(
      XYChart chart,
      List<EpochMetrics> history,
      ToDoubleFunction<EpochMetrics> train,
      ToDoubleFunction<EpochMetrics> validation) {
    double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
    chart
        .addSeries("training", epochs, history.stream().mapToDouble(train).toArray())
        .setMarker(SeriesMarkers.CIRCLE);
    chart
        .addSeries("validation", epochs, history.stream().mapToDouble(validation).toArray())
        .setMarker(SeriesMarkers.DIAMOND);
  }
}
