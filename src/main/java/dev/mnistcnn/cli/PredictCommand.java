package dev.mnistcnn.cli;

import dev.mnistcnn.data.IdxArray;
import dev.mnistcnn.data.IdxReader;
import dev.mnistcnn.files.BoundedFiles;
import dev.mnistcnn.inference.DigitPreprocessor;
import dev.mnistcnn.inference.InferenceException;
import dev.mnistcnn.inference.NoDigitFoundException;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict}: digits in IDX records or image files, with top-k probabilities. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Predicts the digit of IDX records or of images (PNG, JPEG, GIF, BMP; files,"
            + " directories, or - for stdin). Images are preprocessed MNIST-style.")
final class PredictCommand implements Callable<Integer> {
  private static final int MAX_STDIN_BYTES = 20 * 1024 * 1024;

  @Spec CommandSpec spec;

  @Mixin ModelOption model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Inputs inputs;

  static final class Inputs {
    @ArgGroup(exclusive = false)
    IdxInput idx;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files, folders or -.")
    List<String> images;
  }

  static final class IdxInput {
    @Option(names = "--idx", required = true, paramLabel = "FILE", description = "IDX images file.")
    Path file;

    @Option(names = "--offset", defaultValue = "0", description = "First record (default: 0).")
    int offset;

    @Option(names = "--limit", defaultValue = "1", description = "Records (default: 1).")
    int limit;
  }

  @Option(
      names = "--top",
      defaultValue = "3",
      paramLabel = "K",
      description = "Show the K most" + " probable classes (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--json", description = "Print a JSON array of {input, digit, probabilities}.")
  boolean json;

  /** Inputs from which on a terminal shows a progress bar. */
  private static final int PROGRESS_FROM = 100;

  /**
   * One input to classify: a label for output and either pixels or why there are none; {@code
   * failed} when the input could not be read at all (an image with no digit is not a failure).
   */
  @SuppressWarnings("ArrayRecordComponent") // an input's pixels, never compared
  private record Item(String input, float[] pixels, String problem, boolean failed) {}

  /** An image to read: a file, or stdin's bytes (read once, up front). */
  @SuppressWarnings("ArrayRecordComponent") // stdin's bytes, never compared
  private record Source(String name, Path file, byte[] bytes) {}

  @Override
  public Integer call() throws Exception {
    if (top < 1 || top > 10) {
      throw new IllegalArgumentException("--top must be between 1 and 10, got " + top);
    }
    List<Map<String, Object>> results = new ArrayList<>();
    List<Item> failed = new ArrayList<>();
    if (inputs.idx != null) {
      List<Item> items = idxItems(inputs.idx);
      try (Predictor predictor = Predictor.open(model.path, model.trust())) {
        for (Item item : items) {
          results.add(describe(item, predictor));
        }
      }
    } else {
      List<Source> sources = imageSources(inputs.images);
      try (Predictor predictor = Predictor.open(model.path, model.trust());
          ProgressBar bar = progressBar(sources.size())) {
        for (Source source : sources) {
          Item item = imageItem(source);
          if (item.failed()) {
            failed.add(item);
          }
          results.add(describe(item, predictor));
          if (bar != null) {
            bar.step();
          }
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, results);
    } else {
      results.forEach(r -> out.println(text(r)));
      out.flush();
    }
    if (failed.isEmpty()) {
      return 0;
    }
    // Every other input has its answer above; the exit status says that not all could be read.
    Item first = failed.get(0);
    throw new IOException(
        failed.size() == 1
            ? first.input() + ": " + first.problem()
            : failed.size()
                + " of "
                + results.size()
                + " images could not be read, the first "
                + first.input()
                + ": "
                + first.problem());
  }

  /** A bar on stderr for long runs at a terminal; null otherwise (it would garble logs). */
  private static ProgressBar progressBar(int inputs) {
    if (inputs < PROGRESS_FROM || !TensorFlowLauncher.interactive()) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("Predicting")
        .setInitialMax(inputs)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .setUpdateIntervalMillis(250)
        .clearDisplayOnFinish()
        .build();
  }

  private Map<String, Object> describe(Item item, Predictor predictor) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("input", item.input());
    if (item.pixels() == null) {
      r.put("digit", null);
      r.put("error", item.problem());
      return r;
    }
    Prediction p = predictor.predict(item.pixels());
    r.put("digit", p.digit());
    r.put("probabilities", p.probabilities());
    List<Map<String, Object>> topK = new ArrayList<>();
    for (int c : p.topK(top)) {
      topK.add(Map.of("digit", c, "probability", p.probabilities()[c]));
    }
    r.put("top", topK);
    return r;
  }

  @SuppressWarnings("unchecked")
  private static String text(Map<String, Object> r) {
    if (r.get("digit") == null) {
      return r.get("input") + ": " + r.get("error");
    }
    StringBuilder sb = new StringBuilder(r.get("input") + ": " + r.get("digit") + "  (");
    List<Map<String, Object>> topK = (List<Map<String, Object>>) r.get("top");
    for (int i = 0; i < topK.size(); i++) {
      sb.append(i == 0 ? "" : ", ")
          .append(topK.get(i).get("digit"))
          .append(
              String.format(Locale.ROOT, " %.2f%%", 100 * (float) topK.get(i).get("probability")));
    }
    return sb.append(')').toString();
  }

  private static List<Item> idxItems(IdxInput in) throws IOException {
    IdxArray idx = IdxReader.read(in.file);
    if (in.offset < 0 || in.limit < 1 || in.offset >= idx.count()) {
      throw new IllegalArgumentException(
          "--offset must be in 0.." + (idx.count() - 1) + " and --limit positive");
    }
    int end = (int) Math.min((long) in.offset + in.limit, idx.count());
    List<Item> items = new ArrayList<>();
    for (int i = in.offset; i < end; i++) {
      try {
        items.add(new Item(in.file.getFileName() + "#" + i, idx.imagesAsFloats(i, 1), null, false));
      } catch (IllegalArgumentException e) {
        throw new IOException(in.file + ": " + e.getMessage(), e);
      }
    }
    return items;
  }

  /** The images named by {@code args}, folders listed (a folder that cannot be listed fails). */
  private static List<Source> imageSources(List<String> args) throws IOException {
    List<Source> sources = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("-")) {
        byte[] bytes = System.in.readNBytes(MAX_STDIN_BYTES + 1);
        if (bytes.length > MAX_STDIN_BYTES) {
          throw new IOException("stdin holds more than " + MAX_STDIN_BYTES + " bytes");
        }
        sources.add(new Source("-", null, bytes));
        continue;
      }
      Path path = Path.of(arg);
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          for (Path f : files.filter(PredictCommand::isImageFile).sorted().toList()) {
            sources.add(new Source(f.toString(), f, null));
          }
        }
      } else {
        sources.add(new Source(arg, path, null));
      }
    }
    return sources;
  }

  /** Reads and preprocesses one image; what goes wrong is that image's answer, not the run's. */
  private static Item imageItem(Source source) {
    try {
      byte[] bytes =
          source.bytes() != null
              ? source.bytes()
              : BoundedFiles.read(source.file(), MAX_STDIN_BYTES);
      return new Item(source.name(), DigitPreprocessor.fromImageBytes(bytes), null, false);
    } catch (NoDigitFoundException e) {
      return new Item(source.name(), null, e.getMessage(), false);
    } catch (IOException | InferenceException e) {
      return new Item(source.name(), null, ErrorMessages.oneLine(e), true);
    }
  }

  private static boolean isImageFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (n.endsWith(".png")
            || n.endsWith(".jpg")
            || n.endsWith(".jpeg")
            || n.endsWith(".gif")
            || n.endsWith(".bmp"));
  }
}
