package dev.mnistcnn.cli;

import dev.mnistcnn.files.OsPaths;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelWriter;
import dev.mnistcnn.saving.OutputPolicy;
import dev.mnistcnn.saving.checkpoint.CheckpointStore;
import dev.mnistcnn.train.tensorboard.TensorBoardListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Everything {@code train} will write, resolved once as the OS does ({@link OsPaths}) and checked
 * before the first step, so that a run is not refused after its training (and leaves nothing behind
 * when refused): the model and, beside a model file, its curves under {@link OutputPolicy}; the
 * checkpoint folder and the logdir neither the output nor inside it; every folder writable.
 *
 * @param model where the model goes (resolved)
 * @param logdir where TensorBoard's files go (resolved), or null
 */
record TrainOutputs(Path model, Path logdir) {
  private static final String CHECKPOINT_DIR = "checkpoint directory";
  private static final String LOGDIR = "--logdir";

  /**
   * Resolves and checks the outputs of a run; resolves {@code checkpoints}' folders in place.
   * Creates nothing.
   */
  static TrainOutputs check(
      Path output, Path from, Path logdir, CheckpointOptions checkpoints, OutputCheck check)
      throws IOException {
    Path model = check.require(output, from);
    List<Path> written = new ArrayList<>(List.of(model));
    if (ModelFormat.forOutput(model, null) != ModelFormat.SAVED_MODEL) {
      Path curves = ModelWriter.curvesBeside(model);
      OutputPolicy.requireCurvesReplaceable(curves, check.force);
      written.add(curves);
    }
    requireWritableFolder(model.getParent(), "output " + model);
    if (Files.isDirectory(model, LinkOption.NOFOLLOW_LINKS)) {
      requireWritableTree(model); // renamed aside and deleted when replaced
    }
    checkpoints.resolvePaths();
    Path checkpointDir = checkpoints.writeDir();
    if (checkpointDir != null) {
      requireFolderFor(checkpointDir, CHECKPOINT_DIR, written, CheckpointStore::isCheckpointName);
    }
    Path board = logdir == null ? null : OsPaths.resolve(logdir);
    if (board != null) {
      requireFolderFor(board, LOGDIR, written, TensorBoardListener.RUNS::contains);
    }
    return new TrainOutputs(model, board);
  }

  /**
   * Refuses a folder another writer fills ({@code what}) that is one of the {@code outputs} or lies
   * inside one (the model write would replace it, or it would make the model folder foreign), or
   * that holds an output at a name it writes itself ({@code ownNames}); and one that cannot be
   * written.
   */
  private static void requireFolderFor(
      Path folder, String what, List<Path> outputs, Predicate<String> ownNames) throws IOException {
    // The folder is written through, so a link to it counts where it points; an output that is a
    // link is replaced itself.
    Path located = Files.exists(folder) ? folder.toRealPath() : folder;
    for (Path out : outputs) {
      if (located.startsWith(out) || folder.startsWith(out)) {
        throw new IllegalArgumentException(
            what
                + " "
                + folder
                + (located.equals(out) || folder.equals(out)
                    ? " is the output "
                    : " is inside the output ")
                + out
                + ", which this run replaces when it writes the model: choose a folder outside it");
      }
      if (out.startsWith(located)
          && !out.equals(located)
          && ownNames.test(located.relativize(out).getName(0).toString())) {
        throw new IllegalArgumentException(
            "output " + out + " is where the " + what + " " + folder + " writes its own files");
      }
    }
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new IllegalArgumentException(what + " " + folder + " is not a folder");
    }
    requireWritableFolder(folder, what + " " + folder);
  }

  /** Refuses {@code folder} unless it, or the nearest part of it that exists, can be written. */
  private static void requireWritableFolder(Path folder, String what) {
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new IllegalArgumentException(
          "cannot write the "
              + what
              + ": "
              + (existing == null ? folder : existing)
              + " is not a folder this user can write to");
    }
  }

  private static void requireWritableTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(p)) {
          throw new IllegalArgumentException(
              "cannot replace the output "
                  + dir
                  + ": "
                  + p
                  + " is a folder this user cannot write to");
        }
      }
    }
  }
}
