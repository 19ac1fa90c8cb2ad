package dev.mnistcnn.report;

import dev.mnistcnn.inference.Evaluation;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Precision and recall of each class as grouped bars, in percent. */
final class PerClassChart {
  private PerClassChart() {}

  static byte[] png(Evaluation evaluation, List<String> classNames) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(420)
            .title("Precision and recall per class")
            .xAxisTitle("class")
            .yAxisTitle("%")
            .build();
    List<Double> precision = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    for (int c = 0; c < evaluation.classes(); c++) {
      precision.add(100 * evaluation.precision(c));
      recall.add(100 * evaluation.recall(c));
    }
    chart.addSeries("precision", classNames, precision);
    chart.addSeries("recall", classNames, recall);
    // Good models sit between 95 and 100%: a zero-based axis would hide every difference.
    double lowest = Math.min(min(precision), min(recall));
    chart.getStyler().setYAxisMin(Math.max(0, Math.floor(lowest) - 1));
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    return Charts.png(chart);
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }
}
