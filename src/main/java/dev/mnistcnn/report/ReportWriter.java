package dev.mnistcnn.report;

import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.saving.provenance.BuildInfo;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.saving.provenance.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a report folder atomically (a temporary sibling renamed into place) and replaces only an
 * empty folder or a report this program wrote, recognised by its marker file and holding nothing
 * else: a folder of the user's is never deleted.
 */
public final class ReportWriter {
  /** Marks a folder as a report written here. */
  public static final String MARKER = "mnist-cnn-report.json";

  public static final String INDEX = "index.html";

  private static final Set<String> OUR_FILES =
      Set.of(
          MARKER,
          INDEX,
          ReportPage.CURVES_PNG,
          ReportPage.CONFUSION_PNG,
          ReportPage.PER_CLASS_PNG,
          ReportPage.WRONG_PNG);

  private ReportWriter() {}

  /**
   * Refuses, with one line, an {@code output} that exists and is not an empty folder or one of our
   * reports. Leftovers of a killed run there are repaired first.
   */
  public static void requireReplaceable(Path output) throws IOException {
    AtomicFiles.recover(output);
    if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "output " + output + " exists and is not a folder; choose another path for the report");
    }
    List<String> names;
    try (Stream<Path> entries = Files.list(output)) {
      names = entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
    if (names.isEmpty()) {
      return;
    }
    if (!Files.isRegularFile(output.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "output "
              + output
              + " is a folder that is not a report this program wrote; refusing"
              + " to replace it: choose another path or an empty folder");
    }
    List<String> foreign = names.stream().filter(n -> !OUR_FILES.contains(n)).toList();
    if (!foreign.isEmpty()) {
      throw new IOException(
          "output "
              + output
              + " is a report folder that also holds other files ("
              + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
              + (foreign.size() > 3 ? ", ..." : "")
              + "); refusing to replace it: move them or choose another path");
    }
  }

  /** Draws every chart and writes {@code output/index.html} with its images. */
  public static void write(
      Path output,
      String modelName,
      String datasetName,
      List<String> classNames,
      Provenance provenance,
      TestSetResults results)
      throws IOException {
    requireReplaceable(output);
    Optional<List<EpochMetrics>> history = TrainingHistory.of(provenance);
    Map<String, byte[]> files = new LinkedHashMap<>();
    history.ifPresent(h -> files.put(ReportPage.CURVES_PNG, TrainingCurves.png(h)));
    files.put(
        ReportPage.CONFUSION_PNG, ConfusionHeatMap.png(results.evaluation().confusionMatrix()));
    files.put(ReportPage.PER_CLASS_PNG, PerClassChart.png(results.evaluation(), classNames));
    if (!results.mostConfidentWrong().isEmpty()) {
      files.put(
          ReportPage.WRONG_PNG, WrongDigitsGrid.png(results.mostConfidentWrong(), classNames));
    }
    String page =
        ReportPage.render(modelName, datasetName, classNames, provenance, history, results);
    files.put(INDEX, page.getBytes(StandardCharsets.UTF_8));
    files.put(
        MARKER,
        Json.MAPPER.writeValueAsBytes(
            Map.of("generator", "mnist-cnn report", "version", BuildInfo.projectVersion())));
    AtomicFiles.writeDirectory(
        output,
        tmp -> {
          Files.createDirectory(tmp);
          for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(tmp.resolve(f.getKey()), f.getValue());
          }
        });
  }
}
