package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.report.ReportWriter;
import dev.mnistcnn.support.Cli;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} on real models and the real MNIST test set, and its output safety. */
@Tag(Tier.SLOW)
class ReportCommandTest {
  private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+)\"");
  private static final Pattern COUNT = Pattern.compile("<td class=\"count\">(\\d+)</td>");

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path shippedReport;
  private static String shippedPage;

  @BeforeAll
  static void reportTheShippedModel() throws IOException {
    shippedReport = shared.resolve("shipped");
    Cli.Run r =
        Cli.run(
            "report",
            "--model",
            TestData.shippedModel().toString(),
            "--output",
            shippedReport + "");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote " + shippedReport.resolve("index.html")), r.out());
    shippedPage = Files.readString(shippedReport.resolve("index.html"));
  }

  @Test
  void confusionMatrixOnThePageIsEvaluatesAndSumsToTheTestSet() throws IOException {
    Cli.Run eval = Cli.run("evaluate", "--model", TestData.shippedModel() + "", "--json");
    assertEquals(0, eval.code(), eval.err());
    JsonNode expected = Json.MAPPER.readTree(eval.out()).get("confusion_matrix");
    List<Integer> counts = counts(shippedPage);
    assertEquals(100, counts.size());
    int[] flat = new int[100];
    for (int i = 0; i < 100; i++) {
      flat[i] = expected.get(i / 10).get(i % 10).asInt();
    }
    assertArrayEquals(flat, counts.stream().mapToInt(Integer::intValue).toArray());
    int total = counts.stream().mapToInt(Integer::intValue).sum();
    assertEquals(TestData.mnist().test().count(), total);
    int right = 0;
    for (int c = 0; c < 10; c++) {
      right += counts.get(c * 11);
    }
    // 25 of the wrong ones are drawn; the page names how many there were in all.
    assertTrue(shippedPage.contains("The 25 of " + (total - right) + " wrong images"), shippedPage);
  }

  @Test
  void everyImageIsAPngInTheFolderAndTheCurvesComeFromTheHistory() throws IOException {
    List<String> sources = new ArrayList<>();
    Matcher m = IMG.matcher(shippedPage);
    while (m.find()) {
      sources.add(m.group(1));
    }
    assertEquals(
        List.of(
            "training-curves.png",
            "confusion-matrix.png",
            "per-class.png",
            "most-confident-errors.png"),
        sources);
    for (String src : sources) {
      BufferedImage image = ImageIO.read(shippedReport.resolve(src).toFile());
      assertTrue(image != null && image.getWidth() > 300 && image.getHeight() > 300, src);
    }
    Set<String> files = names(shippedReport);
    Set<String> expected = new TreeSet<>(sources);
    expected.add("index.html");
    expected.add(ReportWriter.MARKER);
    assertEquals(expected, files, "nothing else in the folder");
    assertFalse(shippedPage.contains("http://") || shippedPage.contains("https://"), "no network");
    // The shipped model's 10 epochs, and its provenance (seed 1).
    assertEquals(10, countOf(shippedPage, "<tr><td>"), "one history row per epoch");
    assertTrue(
        shippedPage.contains("<td class=\"key\">trainer.seed</td><td class=\"text\">1</td>"));
    assertTrue(shippedPage.contains("accuracy <b>99.28%</b>"), shippedPage);
  }

  @Test
  void aModelMadeInKerasGetsAPageWithoutCurvesSayingWhy() throws IOException {
    Path keras =
        TestData.projectDir().resolve("src/test/resources/keras-3.3.3/seed-untrained.keras");
    Path out = tmp.resolve("keras-report");
    Cli.Run r = Cli.run("report", "--model", keras + "", "--output", out + "");
    assertEquals(0, r.code(), r.err());
    String page = Files.readString(out.resolve("index.html"));
    assertTrue(page.contains("id=\"no-history\""), page);
    assertFalse(page.contains("training-curves.png"), page);
    assertFalse(Files.exists(out.resolve("training-curves.png")));
    assertEquals(TestData.mnist().test().count(), counts(page).stream().mapToInt(i -> i).sum());
  }

  @Test
  void aConvertedModelShowsTheCurvesOfTheModelItCameFrom() throws IOException {
    Path keras = tmp.resolve("shipped.keras");
    Cli.Run c = Cli.run("convert", "--input", TestData.shippedModel() + "", "--output", keras + "");
    assertEquals(0, c.code(), c.err());
    Path out = tmp.resolve("converted-report");
    Cli.Run r = Cli.run("report", "--model", keras + "", "--output", out + "");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("training-curves.png")));
    assertEquals(counts(shippedPage), counts(Files.readString(out.resolve("index.html"))));
  }

  @Test
  void aReportWrittenHereIsReplacedAndNothingElseIs() throws IOException {
    Path model = TestData.shippedModel();
    Path again = tmp.resolve("again");
    assertEquals(0, Cli.run("report", "--model", model + "", "--output", again + "").code());
    Files.writeString(again.resolve("index.html"), "stale");
    assertEquals(0, Cli.run("report", "--model", model + "", "--output", again + "").code());
    assertTrue(Files.readString(again.resolve("index.html")).contains("Model report"));
    assertEquals(names(shippedReport), names(again));

    Files.writeString(again.resolve("notes.txt"), "mine");
    Cli.run("report", "--model", model + "", "--output", again + "")
        .assertOneLineError("also holds other files (notes.txt)");
    assertEquals("mine", Files.readString(again.resolve("notes.txt")));

    Path users = Files.createDirectories(tmp.resolve("users"));
    Files.writeString(users.resolve("thesis.tex"), "years of work");
    Cli.run("report", "--model", model + "", "--output", users + "")
        .assertOneLineError("not a report this program wrote");
    assertEquals("years of work", Files.readString(users.resolve("thesis.tex")));

    Path file = Files.writeString(tmp.resolve("report.html"), "mine");
    Cli.run("report", "--model", model + "", "--output", file + "")
        .assertOneLineError("is not a folder");
    assertEquals("mine", Files.readString(file));

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertEquals(0, Cli.run("report", "--model", model + "", "--output", empty + "").code());
    assertTrue(Files.isRegularFile(empty.resolve("index.html")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporaries");
    }
  }

  @Test
  void dotDotAfterALinkIsResolvedAsTheOsDoes() throws IOException {
    Path root = tmp.toRealPath();
    Files.createDirectories(root.resolve("elsewhere/deep"));
    Path work = Files.createDirectories(root.resolve("work"));
    Files.createDirectories(work.resolve("x"));
    Files.writeString(work.resolve("x/thesis.tex"), "years of work");
    Files.createSymbolicLink(work.resolve("link"), Path.of("../elsewhere/deep"));
    Cli.Run r =
        Cli.run(
            "report",
            "--model",
            TestData.shippedModel() + "",
            "--output",
            work.resolve("link/../x") + "");
    assertEquals(0, r.code(), r.err());
    assertEquals("years of work", Files.readString(work.resolve("x/thesis.tex")));
    assertTrue(Files.isRegularFile(root.resolve("elsewhere/x/index.html")));
  }

  @Test
  void badArgumentsAreOneLineErrors() throws IOException {
    Path copy = tmp.resolve("model");
    org.apache.commons.io.file.PathUtils.copyDirectory(TestData.shippedModel(), copy);
    Cli.run("report", "--model", copy + "", "--output", copy.resolve("report") + "")
        .assertOneLineError("is inside the input");
    assertFalse(Files.exists(copy.resolve("report")));
    Cli.run("report", "--model", tmp.resolve("missing") + "", "--output", tmp.resolve("r") + "")
        .assertOneLineError("missing");
    Cli.run("report", "--errors", "-1", "--output", tmp.resolve("r") + "")
        .assertOneLineError("--errors must be between 0 and 1000");
    assertEquals(2, Cli.run("report").code(), "--output is required");
    Cli.Run help = Cli.run("report", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("Usage: mnist-cnn report"), help.out());
    assertFalse(Files.exists(tmp.resolve("r")));
  }

  private static List<Integer> counts(String page) {
    List<Integer> counts = new ArrayList<>();
    Matcher m = COUNT.matcher(page);
    while (m.find()) {
      counts.add(Integer.parseInt(m.group(1)));
    }
    return counts;
  }

  private static int countOf(String s, String part) {
    return s.split(Pattern.quote(part), -1).length - 1;
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }
}
