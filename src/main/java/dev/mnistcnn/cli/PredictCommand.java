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

  /** One input to classify: a label for output and either pixels or why there are none. */
  @SuppressWarnings("ArrayRecordComponent") // an input's pixels, never compared
  private record Item(String input, float[] pixels, String problem) {}

  @Override
  public Integer call() throws Exception {
    if (top < 1 || top > 10) {
      throw new IllegalArgumentException("--top must be between 1 and 10, got " + top);
    }
    List<Item> items = inputs.idx != null ? idxItems(inputs.idx) : imageItems(inputs.images);
    List<Map<String, Object>> results = new ArrayList<>();
    try (Predictor predictor = Predictor.open(model.path, model.trust())) {
      for (Item item : items) {
        results.add(describe(item, predictor));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, results);
    } else {
      results.forEach(r -> out.println(text(r)));
      out.flush();
    }
    return 0;
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
        items.add(new Item(in.file.getFileName() + "#" + i, Predictor.pixels(idx, i, 1), null));
      } catch (IllegalArgumentException e) {
        throw new IOException(in.file + ": " + e.getMessage(), e);
      }
    }
    return items;
  }

  private static List<Item> imageItems(List<String> args) throws IOException, InferenceException {
    List<Item> items = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("-")) {
        byte[] bytes = System.in.readNBytes(MAX_STDIN_BYTES + 1);
        if (bytes.length > MAX_STDIN_BYTES) {
          throw new IOException("stdin holds more than " + MAX_STDIN_BYTES + " bytes");
        }
        items.add(imageItem("-", bytes));
        continue;
      }
      Path path = Path.of(arg);
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          for (Path f : files.filter(PredictCommand::isImageFile).sorted().toList()) {
            items.add(imageItem(f.toString(), BoundedFiles.read(f, MAX_STDIN_BYTES)));
          }
        }
      } else {
        items.add(imageItem(arg, BoundedFiles.read(path, MAX_STDIN_BYTES)));
      }
    }
    return items;
  }

  private static Item imageItem(String name, byte[] bytes) throws InferenceException {
    try {
      return new Item(name, DigitPreprocessor.fromImageBytes(bytes), null);
    } catch (NoDigitFoundException e) {
      return new Item(name, null, e.getMessage());
    } catch (InferenceException e) {
      throw new InferenceException(name + ": " + e.getMessage(), e);
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
