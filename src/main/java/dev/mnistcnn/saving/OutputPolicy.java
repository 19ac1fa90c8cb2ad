package dev.mnistcnn.saving;

import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.files.OsPaths;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.keras.KerasArchive;
import dev.mnistcnn.saving.keras.LegacyH5;
import dev.mnistcnn.saving.provenance.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an output path may hold before a model is written there, so that nothing the user had is
 * lost. Free: nothing, an empty directory, or a model this program wrote (a SavedModel directory
 * with {@code saved_model.pb} and our {@code provenance.json}; a {@code .keras} or {@code .h5} file
 * our reader accepts that carries our provenance). Anything else needs {@code --force}, and even
 * then a directory is replaced only when it holds nothing but a model's files: a user's folder is
 * never deleted.
 */
public final class OutputPolicy {
  /**
   * The training-curves chart {@code train} writes inside a SavedModel directory (and beside a
   * model file as {@code <file>.training-curves.png}).
   */
  public static final String TRAINING_CURVES = "training-curves.png";

  /** Every top-level name a SavedModel or Keras model directory may hold. */
  private static final Set<String> MODEL_ENTRIES =
      Set.of(
          "saved_model.pb",
          "saved_model.pbtxt",
          "variables",
          "assets",
          "assets.extra",
          "fingerprint.pb",
          "keras_metadata.pb",
          Provenance.FILE_NAME,
          "config.json",
          "metadata.json",
          "model.weights.h5",
          TRAINING_CURVES);

  private static final List<ModelFormat> FILE_FORMATS = List.of(ModelFormat.KERAS, ModelFormat.H5);

  private OutputPolicy() {}

  /**
   * Refuses (with a one-line message) to write to {@code output} when that would destroy something
   * that is not a model this program wrote, unless {@code force}; never replaces a directory that
   * holds more than a model. Leftovers of killed runs there are repaired first.
   */
  public static void requireReplaceable(Path output, boolean force) throws IOException {
    AtomicFiles.recover(output);
    if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      List<String> foreign = entriesNotOfAModel(output);
      if (!foreign.isEmpty()) {
        throw new IOException(
            "output "
                + output
                + " is a directory holding files that are not part of a model ("
                + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                + (foreign.size() > 3 ? ", ..." : "")
                + "); refusing to replace it, even with --force: choose another path");
      }
      if (force || isEmpty(output) || isOurSavedModel(output)) {
        return;
      }
    } else if (Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
      if (force || isOurModelFile(output)) {
        return;
      }
    } else if (Files.isSymbolicLink(output)) {
      if (force) {
        return; // the link itself is replaced, never what it points to
      }
    } else {
      throw new IOException("output " + output + " is neither a file nor a directory");
    }
    throw new IOException(
        "output "
            + output
            + " exists and is not a model this program wrote; choose another path,"
            + " or pass --force to replace it");
  }

  /**
   * Refuses (with a one-line message) to write the training curves PNG beside a model file at
   * {@code curves} when that would destroy what this program did not write: a file of that name
   * that is not our chart needs {@code force}, a directory is never replaced. Leftovers of killed
   * runs there are repaired first.
   */
  public static void requireCurvesReplaceable(Path curves, boolean force) throws IOException {
    AtomicFiles.recover(curves);
    if (!Files.exists(curves, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(curves, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "the training curves go to "
              + curves
              + ", which is a directory; refusing to replace it, even with --force: move it or"
              + " choose another output");
    }
    boolean fileOrLink =
        Files.isRegularFile(curves, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(curves);
    if (!fileOrLink) {
      throw new IOException(curves + " is neither a file nor a directory");
    }
    if (force || CurvesPng.isOurs(curves)) {
      return; // a link is replaced itself, never what it points to
    }
    throw new IOException(
        "the training curves go to "
            + curves
            + ", which exists and is not a chart this program wrote; choose another output,"
            + " or pass --force to replace it");
  }

  /**
   * Refuses an output that is the input, lies inside it or contains it: writing it would destroy
   * the model being read. Links are resolved, so two names for one place are caught.
   */
  public static void requireApart(Path output, Path input) throws IOException {
    Path out = resolved(output);
    Path in = resolved(input);
    if (out.equals(in)) {
      throw new IOException("output " + output + " is the input " + input + " itself");
    }
    if (out.startsWith(in)) {
      throw new IOException("output " + output + " is inside the input " + input);
    }
    if (in.startsWith(out)) {
      throw new IOException("output " + output + " contains the input " + input);
    }
  }

  /** Where {@code path} is, as the OS resolves it, following a link in its last name too. */
  private static Path resolved(Path path) throws IOException {
    Path resolved = OsPaths.resolve(path);
    return Files.exists(resolved) ? resolved.toRealPath() : resolved;
  }

  private static List<String> entriesNotOfAModel(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> !MODEL_ENTRIES.contains(name))
          .sorted()
          .toList();
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static boolean isOurSavedModel(Path dir) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return false;
    }
    try {
      return madeHere(Provenance.readIfPresent(dir.resolve(Provenance.FILE_NAME)));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isOurModelFile(Path file) {
    ModelFormat byName = ModelFormat.fromFileName(file);
    // --format can give a model file any name: then try both file formats.
    for (ModelFormat format : byName == null ? FILE_FORMATS : List.of(byName)) {
      try {
        StoredModel model =
            format == ModelFormat.KERAS ? KerasArchive.read(file) : LegacyH5.read(file);
        return madeHere(model.provenance());
      } catch (IOException | RuntimeException e) {
        // unreadable as this format: not ours, unless the other one reads it
      }
    }
    return false;
  }

  /** Our records name this program among their versions; Keras's and foreign ones do not. */
  private static boolean madeHere(Provenance p) {
    return p != null && p.versions() != null && p.versions().madeHere();
  }
}
