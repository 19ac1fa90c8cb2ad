package dev.mnistcnn.report;

import java.awt.Color;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/** The confusion matrix as a heat map with the counts written in the cells. */
final class ConfusionHeatMap {
  private ConfusionHeatMap() {}

  /**
   * @param matrix rows = true class, columns = predicted class
   */
  static byte[] png(int[][] matrix) {
    int n = matrix.length;
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(720)
            .height(640)
            .title("Confusion matrix (rows: true class, columns: predicted)")
            .xAxisTitle("predicted")
            .yAxisTitle("true")
            .build();
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      classes[i] = i;
    }
    // XChart's heat data is [x][y] with y growing upwards: the true class on y, 0 at the top.
    int[][] heat = new int[n][n];
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        heat[p][n - 1 - t] = matrix[t][p];
      }
    }
    int[] yClasses = new int[n];
    for (int i = 0; i < n; i++) {
      yClasses[i] = n - 1 - i;
    }
    chart.addSeries("counts", classes, yClasses, heat);
    // The diagonal holds ~1000 per class, the errors a handful: scaled to the largest error, so
    // that errors stand out in shades of red (the diagonal saturates; its counts are written).
    int largestError = 1;
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        if (t != p) {
          largestError = Math.max(largestError, matrix[t][p]);
        }
      }
    }
    chart.getStyler().setMin(0);
    chart.getStyler().setMax(largestError);
    chart
        .getStyler()
        .setRangeColors(
            new Color[] {Color.WHITE, new Color(0xF4, 0xA5, 0x82), new Color(0xB2, 0x18, 0x2B)});
    chart.getStyler().setXAxisTickMarkSpacingHint(20);
    chart.getStyler().setYAxisTickMarkSpacingHint(20);
    chart.getStyler().setShowValue(true);
    chart.getStyler().setHeatMapValueDecimalPattern("#");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendVisible(false);
    return Charts.png(chart);
  }
}
