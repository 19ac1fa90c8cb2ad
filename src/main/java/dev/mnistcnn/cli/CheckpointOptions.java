package dev.mnistcnn.cli;

import dev.mnistcnn.files.OsPaths;
import dev.mnistcnn.saving.checkpoint.CheckpointStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code train}'s checkpoint options: where to write them, how often, how many, what to resume. */
final class CheckpointOptions {
  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description =
          "Write checkpoints (weights, Adam's state, position, history) into DIR/ckpt-<step>/,"
              + " each atomically; nothing else in DIR is touched.")
  Path dir;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N|epoch",
      description = "Checkpoint every N steps, or after each epoch (default: epoch).")
  String every;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "K",
      description = "Keep the newest K checkpoints (default: 3).")
  Integer keep;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description =
          "Continue from the newest complete checkpoint in DIR: same model, recipe, seed and"
              + " dataset (more --epochs extend the run); checkpoints go on into DIR unless"
              + " --checkpoint-dir says otherwise.")
  Path resume;

  /** Resolves the folders once, as the OS does: the checked path is the written one. */
  void resolvePaths() throws IOException {
    dir = dir == null ? null : OsPaths.resolve(dir);
    resume = resume == null ? null : OsPaths.resolve(resume);
  }

  /** Where checkpoints are written, or null for none. */
  Path writeDir() {
    return dir != null ? dir : resume;
  }

  /** Steps between checkpoints, 0 for each epoch. */
  int everySteps() {
    if (every == null || every.equals("epoch")) {
      return 0;
    }
    if (!every.matches("[1-9][0-9]{0,8}")) {
      throw new IllegalArgumentException(
          "--checkpoint-every must be a number of steps or 'epoch', got '" + every + "'");
    }
    return Integer.parseInt(every);
  }

  /** The store checkpoints are written to, or null; refuses options that would be ignored. */
  CheckpointStore writeStore(PrintWriter err) {
    if (writeDir() == null && (every != null || keep != null)) {
      throw new IllegalArgumentException(
          "--checkpoint-every and --keep-checkpoints need --checkpoint-dir or --resume");
    }
    everySteps(); // refuses a bad value before any training
    if (writeDir() != null && Files.exists(writeDir()) && !Files.isDirectory(writeDir())) {
      throw new IllegalArgumentException("checkpoint directory " + writeDir() + " is not a folder");
    }
    return writeDir() == null ? null : store(writeDir(), err);
  }

  /** The store to resume from, or null. */
  CheckpointStore resumeStore(PrintWriter err) {
    return resume == null ? null : store(resume, err);
  }

  private CheckpointStore store(Path path, PrintWriter err) {
    return new CheckpointStore(
        path,
        keep == null ? 3 : keep,
        line -> {
          err.println(line);
          err.flush();
        });
  }
}
