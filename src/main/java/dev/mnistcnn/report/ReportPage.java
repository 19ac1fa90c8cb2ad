package dev.mnistcnn.report;

import dev.mnistcnn.inference.Evaluation;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.saving.provenance.Provenance;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report's {@code index.html}: plain HTML with inline CSS, images by relative name, nothing
 * fetched from the network, so the folder opens anywhere (a browser, a CI artifact, an archive).
 */
final class ReportPage {
  static final String CURVES_PNG = "training-curves.png";
  static final String CONFUSION_PNG = "confusion-matrix.png";
  static final String PER_CLASS_PNG = "per-class.png";
  static final String WRONG_PNG = "most-confident-errors.png";

  private static final String STYLE =
      "body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
          + "table{border-collapse:collapse;margin:1em 0}"
          + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
          + "td.key,td.text{text-align:left}"
          + "img{max-width:100%;border:1px solid #eee}"
          + ".note{color:#a33}";

  private final StringBuilder html = new StringBuilder();

  private ReportPage() {}

  /** The whole page. {@code history} empty: the curves section says why there are none. */
  static String render(
      String modelName,
      String datasetName,
      List<String> classNames,
      Provenance provenance,
      Optional<List<EpochMetrics>> history,
      TestSetResults results) {
    ReportPage p = new ReportPage();
    Evaluation e = results.evaluation();
    p.line("<!DOCTYPE html>");
    p.line("<html lang=\"en\"><head><meta charset=\"utf-8\">");
    p.line("<title>Report: " + esc(modelName) + "</title><style>" + STYLE + "</style></head>");
    p.line("<body><h1>Model report: " + esc(modelName) + "</h1>");
    p.line(
        String.format(
            Locale.ROOT,
            "<p id=\"summary\">On the %s test set (%,d images): accuracy <b>%.2f%%</b>, loss"
                + " %.4f, %,d wrong.</p>",
            esc(datasetName),
            e.samples(),
            100 * e.accuracy(),
            e.loss(),
            results.wrongTotal()));
    p.curves(history);
    p.confusion(e, classNames);
    p.perClass(e, classNames);
    p.wrong(results);
    p.provenance(provenance);
    p.line("</body></html>");
    return p.html.toString();
  }

  private void curves(Optional<List<EpochMetrics>> history) {
    line("<h2>Training curves</h2>");
    if (history.isEmpty()) {
      line(
          "<p class=\"note\" id=\"no-history\">This model's provenance records no training"
              + " history (a model made elsewhere, or converted without training here), so there"
              + " are no training curves.</p>");
      return;
    }
    image(CURVES_PNG, "Loss and accuracy per epoch, training and validation");
    line("<table id=\"history\"><tr><th>epoch</th><th>seconds</th><th>loss</th>");
    line("<th>accuracy</th><th>val_loss</th><th>val_accuracy</th></tr>");
    for (EpochMetrics m : history.get()) {
      line(
          String.format(
              Locale.ROOT,
              "<tr><td>%d</td><td>%.1f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>"
                  + "<td>%.4f</td></tr>",
              m.epoch(),
              m.seconds(),
              m.loss(),
              m.accuracy(),
              m.valLoss(),
              m.valAccuracy()));
    }
    line("</table>");
  }

  private void confusion(Evaluation e, List<String> names) {
    line("<h2>Confusion matrix</h2>");
    image(CONFUSION_PNG, "Confusion matrix heat map");
    line("<table id=\"confusion\"><tr><th>true \\ predicted</th>");
    for (String n : names) {
      html.append("<th>").append(esc(n)).append("</th>");
    }
    line("</tr>");
    for (int t = 0; t < e.classes(); t++) {
      html.append("<tr><th>").append(esc(names.get(t))).append("</th>");
      for (int p = 0; p < e.classes(); p++) {
        html.append("<td class=\"count\">").append(e.confusionMatrix()[t][p]).append("</td>");
      }
      line("</tr>");
    }
    line("</table>");
  }

  private void perClass(Evaluation e, List<String> names) {
    line("<h2>Precision and recall per class</h2>");
    image(PER_CLASS_PNG, "Precision and recall per class");
    line("<table id=\"per-class\"><tr><th>class</th><th>precision</th><th>recall</th></tr>");
    for (int c = 0; c < e.classes(); c++) {
      line(
          String.format(
              Locale.ROOT,
              "<tr><td class=\"text\">%s</td><td>%.2f%%</td><td>%.2f%%</td></tr>",
              esc(names.get(c)),
              100 * e.precision(c),
              100 * e.recall(c)));
    }
    line("</table>");
  }

  private void wrong(TestSetResults r) {
    line("<h2>Most confidently wrong test images</h2>");
    if (r.mostConfidentWrong().isEmpty()) {
      line("<p>The model got every test image right.</p>");
      return;
    }
    line(
        String.format(
            Locale.ROOT,
            "<p>The %d of %,d wrong images the model was surest of: true class, predicted"
                + " class, confidence and the image's index in the test set.</p>",
            r.mostConfidentWrong().size(),
            r.wrongTotal()));
    image(WRONG_PNG, "Most confidently wrong test digits");
  }

  private void provenance(Provenance provenance) {
    line("<h2>Provenance</h2>");
    if (provenance == null) {
      line("<p class=\"note\">The model carries no provenance record.</p>");
      return;
    }
    line("<table id=\"provenance\">");
    for (ProvenanceTable.Row row : ProvenanceTable.rows(provenance)) {
      line(
          "<tr><td class=\"key\">"
              + esc(row.key())
              + "</td><td class=\"text\">"
              + esc(row.value())
              + "</td></tr>");
    }
    line("</table>");
  }

  private void image(String file, String alt) {
    line("<p><img src=\"" + file + "\" alt=\"" + esc(alt) + "\"></p>");
  }

  private void line(String s) {
    html.append(s).append('\n');
  }

  /** Escapes text for HTML element content and quoted attributes. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
