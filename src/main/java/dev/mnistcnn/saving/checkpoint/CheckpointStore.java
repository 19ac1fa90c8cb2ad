package dev.mnistcnn.saving.checkpoint;

import dev.mnistcnn.data.Sha256;
import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.files.BoundedFiles;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.graph.VariableValue;
import dev.mnistcnn.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;

/**
 * A directory of training checkpoints, {@code ckpt-<global step>/} each holding {@code
 * variables.bin} and, written last, {@code meta.json}. Each is written in a temporary sibling and
 * renamed into place ({@link AtomicFiles}), so a {@code ckpt-*} directory is complete or was never
 * there; a kill leaves at most a temporary that the next run deletes. Only the newest {@code keep}
 * are kept. Nothing else in the directory is ever touched: only {@code ckpt-*} directories holding
 * nothing but our two files are deleted.
 */
public final class CheckpointStore {
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{6,18})");

  /** The temporaries and set-aside copies {@link AtomicFiles} makes beside a checkpoint. */
  private static final Pattern LEFTOVER = Pattern.compile("\\.(ckpt-\\d{6,18})\\.(?:tmp|old)-.*");

  private static final String META = "meta.json";
  private static final String VARIABLES = "variables.bin";
  private static final Set<String> OUR_FILES = Set.of(META, VARIABLES);
  private static final int MAX_META_BYTES = 16 << 20;
  private static final int MAX_VARIABLES_BYTES = 1 << 30;

  private final Path dir;
  private final int keep;
  private final Consumer<String> warn;

  /**
   * @param keep how many checkpoints to keep (at least 1)
   * @param warn where to say that a corrupt checkpoint was skipped
   */
  public CheckpointStore(Path dir, int keep, Consumer<String> warn) {
    if (keep < 1) {
      throw new IllegalArgumentException("--keep-checkpoints must be at least 1, got " + keep);
    }
    this.dir = dir;
    this.keep = keep;
    this.warn = warn;
  }

  public Path dir() {
    return dir;
  }

  /** A complete checkpoint read back: where it is, the state and its place in the run. */
  public record Loaded(Path path, TrainingState state, int stepsPerEpoch) {}

  /**
   * Writes {@code state} as {@code ckpt-<step>}, then deletes all but the newest {@code keep}. A
   * user's file or folder of that name is left alone (with a warning) and the checkpoint skipped.
   */
  public void save(TrainingState state, RunIdentity run, int stepsPerEpoch, int epochs)
      throws IOException {
    long step = state.globalStep(stepsPerEpoch);
    byte[] variables = VariablesFile.encode(state.variables());
    CheckpointMeta meta =
        new CheckpointMeta(
            CheckpointMeta.FORMAT,
            CheckpointMeta.VERSION,
            Instant.now().toString(),
            step,
            stepsPerEpoch,
            epochs,
            state.epochsDone(),
            state.stepInEpoch(),
            state.lossSum(),
            state.correctSum(),
            state.secondsInEpoch(),
            state.history(),
            Sha256.of(variables),
            run,
            RuntimeVersions.current());
    Files.createDirectories(dir);
    Path target = dir.resolve(String.format("ckpt-%06d", step));
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !holdsOnlyOurFiles(target)) {
      warn.accept(
          "warning: not writing checkpoint "
              + target
              + ": something this program did not write has that name");
      return;
    }
    AtomicFiles.writeDirectory(
        target,
        tmp -> {
          Files.createDirectory(tmp);
          Files.write(tmp.resolve(VARIABLES), variables);
          Files.write(tmp.resolve(META), CheckpointMeta.WRITER.writeValueAsBytes(meta));
        });
    prune();
  }

  /** Whether {@code name} is one this store writes or leaves while writing ({@code ckpt-*}). */
  public static boolean isCheckpointName(String name) {
    return NAME.matcher(name).matches() || LEFTOVER.matcher(name).matches();
  }

  /**
   * Refuses, with one line, a directory that holds a checkpoint of another run: its steps would
   * count as newer or older than this run's and pruning would delete one run's checkpoints for the
   * other's, and equal steps would overwrite each other. Checkpoints whose {@code meta.json} cannot
   * be read are left out (they belong to no run, and {@link #latest} skips them).
   */
  public void requireOnlyRun(RunIdentity run) throws IOException {
    for (Path ckpt : checkpoints()) {
      CheckpointMeta meta;
      try {
        meta = CheckpointMeta.parse(BoundedFiles.read(ckpt.resolve(META), MAX_META_BYTES));
      } catch (IOException | RuntimeException e) {
        continue;
      }
      String difference = run.differenceFrom(meta.run());
      if (difference != null) {
        throw new CheckpointRefusedException(
            "checkpoint directory "
                + dir
                + " holds checkpoints of another run ("
                + ckpt.getFileName()
                + " is from "
                + difference
                + "); refusing to mix this run's with them: choose another --checkpoint-dir");
      }
    }
  }

  /**
   * {@link #save}, for the training loop's sink; refuses a directory shared with another run
   * ({@link #requireOnlyRun}).
   */
  public Consumer<TrainingState> sink(RunIdentity run, int stepsPerEpoch, int epochs) {
    try {
      requireOnlyRun(run);
      // A run killed between writing a checkpoint and pruning left one too many; a resumed run
      // that has nothing left to train writes none, so prune now rather than only after a write.
      prune();
    } catch (CheckpointRefusedException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune the checkpoints in " + dir + ": " + e, e);
    }
    return state -> {
      try {
        save(state, run, stepsPerEpoch, epochs);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a checkpoint in " + dir + ": " + e, e);
      }
    };
  }

  /**
   * The newest complete checkpoint, skipping (with a warning) any that is corrupt; empty when there
   * is none. Refuses one made by another run ({@link RunIdentity#differenceFrom}).
   */
  public Optional<Loaded> latest(RunIdentity run) throws IOException {
    recoverLeftovers();
    List<Path> oldestFirst = checkpoints();
    for (int i = oldestFirst.size() - 1; i >= 0; i--) {
      Path ckpt = oldestFirst.get(i);
      CheckpointMeta meta;
      try {
        meta = CheckpointMeta.parse(BoundedFiles.read(ckpt.resolve(META), MAX_META_BYTES));
      } catch (IOException | RuntimeException e) {
        warn.accept(
            "warning: skipping " + ckpt + ": incomplete or corrupt (" + e.getMessage() + ")");
        continue;
      }
      String difference = run.differenceFrom(meta.run());
      if (difference != null) {
        throw new CheckpointRefusedException(
            "checkpoint " + ckpt + " is from " + difference + "; refusing to resume from it");
      }
      try {
        byte[] bytes = BoundedFiles.read(ckpt.resolve(VARIABLES), MAX_VARIABLES_BYTES);
        if (!Sha256.of(bytes).equals(meta.variablesSha256())) {
          throw new IOException(VARIABLES + " does not match its checksum");
        }
        Map<String, VariableValue> variables = VariablesFile.decode(bytes);
        return Optional.of(new Loaded(ckpt, meta.state(variables), meta.stepsPerEpoch()));
      } catch (IOException | RuntimeException e) {
        warn.accept("warning: skipping " + ckpt + ": corrupt (" + e.getMessage() + ")");
      }
    }
    return Optional.empty();
  }

  /** Deletes what killed runs left while writing checkpoints here (never a live run's work). */
  public void recoverLeftovers() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<String> targets;
    try (Stream<Path> entries = Files.list(dir)) {
      targets =
          entries
              .map(p -> LEFTOVER.matcher(p.getFileName().toString()))
              .filter(Matcher::matches)
              .map(m -> m.group(1))
              .distinct()
              .toList();
    }
    for (String target : targets) {
      AtomicFiles.recover(dir.resolve(target));
    }
  }

  /** Our checkpoint directories, oldest first. */
  private List<Path> checkpoints() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (NAME.matcher(p.getFileName().toString()).matches() && holdsOnlyOurFiles(p)) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparingLong(CheckpointStore::step));
    return out;
  }

  /** Deletes our checkpoints older than the newest {@code keep} complete ones. */
  private void prune() throws IOException {
    List<Path> all = checkpoints();
    int complete = 0;
    for (int i = all.size() - 1; i >= 0; i--) {
      Path ckpt = all.get(i);
      if (complete >= keep) {
        // meta.json first: a kill mid-way leaves an incomplete one, skipped and deleted next time
        Files.deleteIfExists(ckpt.resolve(META));
        PathUtils.delete(ckpt, new LinkOption[] {LinkOption.NOFOLLOW_LINKS});
      } else if (Files.isRegularFile(ckpt.resolve(META), LinkOption.NOFOLLOW_LINKS)) {
        complete++;
      }
    }
  }

  private static boolean holdsOnlyOurFiles(Path p) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(p)) {
      return entries.allMatch(
          e ->
              OUR_FILES.contains(e.getFileName().toString())
                  && Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS));
    }
  }

  private static long step(Path ckpt) {
    Matcher m = NAME.matcher(ckpt.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
