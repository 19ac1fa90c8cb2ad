package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.graph.CpuFeatures;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.checkpoint.CheckpointStore;
import dev.mnistcnn.saving.checkpoint.RunIdentity;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.train.Precision;
import dev.mnistcnn.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments (half of them while the model is being written) of a command that
 * replaces a model: afterwards the output path holds a complete model (old or new), or the next
 * command restores one by itself; nothing else in the directory changes; the next complete run
 * leaves nothing of the killed ones behind.
 */
@Tag(Tier.SLOW)
class KillDuringWriteTest {
  private static final int KILLS = 20;

  @TempDir Path tmp;

  @Test
  void train() throws Exception {
    killAtRandomMoments(
        "model", 1, "train", "--epochs", "1", "--limit", "400", "--batch-size", "100");
  }

  @Test
  void exportSavedModel() throws Exception {
    killAtRandomMoments(
        "model",
        2,
        "export",
        "--model",
        TestData.shippedModel().toString(),
        "--format",
        "savedmodel");
  }

  @Test
  void convertKerasToH5() throws Exception {
    Path keras = tmp.resolve("input.keras");
    Cli.Run made =
        Cli.run(
            "export",
            "--model",
            TestData.shippedModel().toString(),
            "--format",
            "keras",
            "--output",
            keras.toString());
    assertEquals(0, made.code(), made.err());
    killAtRandomMoments("model.h5", 3, "convert", "--input", keras.toString());
  }

  /**
   * SIGKILL (the launcher and its child JVM both) of a training run that writes checkpoints, at
   * seeded random moments: during a step, while a checkpoint is being written, while the model is
   * exported. Every time the model from before still loads, the newest complete checkpoint reads
   * back with no warning, nothing of the user's changed; the next run resumes from what is there
   * (or starts afresh when there is nothing yet), and a last {@code --resume} finishes the run.
   */
  @Test
  void trainWithCheckpoints() throws Exception {
    Path dir = userFolder(4);
    Path ckpts = Files.createDirectories(dir.resolve("ckpts"));
    Files.writeString(ckpts.resolve("readme.txt"), "the user's, beside the checkpoints");
    Path output = dir.resolve("model");
    List<String> recipe =
        List.of(
            "train",
            "--limit",
            "1000",
            "--batch-size",
            "100",
            "--epochs",
            "2",
            "--checkpoint-every",
            "4",
            "--output",
            output.toString());
    RunIdentity run =
        RunIdentity.of(
            KerasModelConfig.toKeras3(ModelSpec.seedCnn()),
            TrainingConfig.seedRecipe()
                .withLimit(1000)
                .withBatchSize(100)
                .withEpochs(2)
                // what the run's default --precision auto picks on this processor
                .withPrecision(Precision.parse("auto", CpuFeatures.current())),
            "mnist",
            TestData.mnist().sha256());
    Path log = tmp.resolve("log.txt");

    // One whole run: the model that must survive, and the run time; its checkpoints go.
    long start = System.nanoTime();
    assertEquals(
        0,
        Jvm.runToEnd(Jvm.program(true, args(recipe, "--checkpoint-dir", ckpts)), log, 300),
        Files.readString(log));
    long runMillis = (System.nanoTime() - start) / 1_000_000;
    try (Stream<Path> s = Files.list(ckpts)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).toList()) {
        PathUtils.deleteDirectory(p);
      }
    }
    Predicate<String> ours = n -> n.equals("model") || n.startsWith(".model.") || n.equals("ckpts");
    Map<String, String> others = FileTrees.hashes(dir, ours);

    Random random = new Random(4);
    String[] moments = {"a step", "a checkpoint write", "the export"};
    int resumed = 0;
    for (int i = 0; i < 6; i++) {
      String moment = moments[i % 3];
      boolean hasCheckpoint = latestCheckpoint(ckpts, run) != null;
      resumed += hasCheckpoint ? 1 : 0;
      Process p =
          Jvm.program(true, args(recipe, hasCheckpoint ? "--resume" : "--checkpoint-dir", ckpts))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      double u = random.nextDouble();
      long delay = moment.equals("a step") ? (long) (u * runMillis) : (long) (u * 20);
      long giveUp = System.nanoTime() + 3_000_000L * runMillis;
      String temporary = moment.equals("the export") ? ".model.tmp-" : ".ckpt-";
      Path where = moment.equals("the export") ? dir : ckpts;
      while (!moment.equals("a step")
          && p.isAlive()
          && !writing(where, temporary, p)
          && System.nanoTime() < giveUp) {
        Thread.sleep(1);
      }
      p.waitFor(delay, TimeUnit.MILLISECONDS);
      Jvm.killTree(p);

      String when = "kill " + i + " during " + moment + " (" + delay + " ms)";
      assertEquals(others, FileTrees.hashes(dir, ours), when + ": nothing else changed");
      assertEquals(
          "the user's, beside the checkpoints", Files.readString(ckpts.resolve("readme.txt")));
      assertEquals(
          List.of(10), ModelReader.readWeights(output).spec().outputShape(), when + ": loads");
      latestCheckpoint(ckpts, run); // reads back complete, or there is none yet
    }

    assertEquals(
        0,
        Jvm.runToEnd(Jvm.program(true, args(recipe, "--resume", ckpts)), log, 300),
        Files.readString(log));
    String finished = Files.readString(log);
    assertTrue(finished.contains("Resumed from " + ckpts.resolve("ckpt-")), finished);
    assertEquals(List.of(10), ModelReader.readWeights(output).spec().outputShape());
    assertEquals(
        2,
        Provenance.readIfPresent(output.resolve(Provenance.FILE_NAME)).results().history().size(),
        "the whole history, resumed epochs included");
    Set<String> left = names(ckpts, n -> true);
    assertTrue(left.contains("readme.txt"), left.toString());
    assertTrue(
        left.stream().allMatch(n -> n.equals("readme.txt") || n.matches("ckpt-\\d{6}")),
        "no temporaries left: " + left);
    assertTrue(left.size() <= 1 + 3, "the newest 3 kept: " + left);
    assertEquals(Set.of("model"), names(dir, n -> n.equals("model") || n.startsWith(".model.")));
    assertEquals(others, FileTrees.hashes(dir, ours));
    System.out.printf(
        "train with checkpoints: run %d ms; 6 kills, %d runs resumed%n", runMillis, resumed);
  }

  private static String[] args(List<String> recipe, String option, Path value) {
    return Stream.concat(recipe.stream(), Stream.of(option, value.toString()))
        .toArray(String[]::new);
  }

  /**
   * The newest complete checkpoint in {@code ckpts}, read from a copy (so that the next run meets
   * what the kill left), or null when there is none; fails on a warning: no kill may leave a
   * half-written checkpoint that looks complete.
   */
  private CheckpointStore.Loaded latestCheckpoint(Path ckpts, RunIdentity run) throws Exception {
    Path copy = Files.createTempDirectory(tmp, "ckpts");
    FileTrees.copy(ckpts, copy.resolve("c"));
    List<String> warnings = new ArrayList<>();
    CheckpointStore.Loaded loaded =
        new CheckpointStore(copy.resolve("c"), 3, warnings::add).latest(run).orElse(null);
    assertEquals(List.of(), warnings);
    PathUtils.deleteDirectory(copy);
    return loaded;
  }

  /** Whether {@code process} or its child has begun writing: a temporary with its pid is there. */
  private static boolean writing(Path dir, String prefix, Process process) throws Exception {
    Set<String> pids =
        Stream.concat(Stream.of(process.toHandle()), process.descendants())
            .map(h -> ".tmp-" + h.pid() + "-")
            .collect(Collectors.toSet());
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .anyMatch(n -> n.startsWith(prefix) && pids.stream().anyMatch(n::contains));
    }
  }

  /** A folder with a user's files in it, for the output to be written in. */
  private Path userFolder(long seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(dir.resolve("notes.txt"), "the user's notes");
    byte[] data = new byte[1 << 16];
    new Random(seed).nextBytes(data);
    Files.write(dir.resolve("data.bin"), data);
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/x.txt"), "x");
    return dir;
  }

  /**
   * Runs {@code command --output dir/name}: twice whole, {@value KILLS} times killed, once whole.
   */
  private void killAtRandomMoments(String name, long seed, String... command) throws Exception {
    Path dir = userFolder(seed);
    Path output = dir.resolve(name);
    String[] args =
        Stream.concat(Stream.of(command), Stream.of("--output", output.toString()))
            .toArray(String[]::new);
    Path log = tmp.resolve("log.txt");

    // Two whole runs: the old model, and the run time (the second, with warm caches, is typical).
    long runMillis = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long start = System.nanoTime();
      assertEquals(0, Jvm.runToEnd(Jvm.program(false, args), log, 300), Files.readString(log));
      runMillis = Math.min(runMillis, (System.nanoTime() - start) / 1_000_000);
    }
    Predicate<String> ofOutput = n -> n.equals(name) || n.startsWith("." + name + ".");
    Map<String, String> others = FileTrees.hashes(dir, ofOutput);

    Random random = new Random(seed);
    int finished = 0;
    int restored = 0;
    for (int i = 0; i < KILLS; i++) {
      // Odd kills aim at the write itself (a few ms after its temporary appears), which a delay
      // spread over the whole run rarely hits.
      boolean atWrite = i % 2 == 1;
      double u = random.nextDouble();
      long delay = atWrite ? (long) (u * 50) : (long) (u * runMillis);
      Process p =
          Jvm.program(false, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long giveUp = System.nanoTime() + 3_000_000L * runMillis;
      while (atWrite && p.isAlive() && !writing(dir, name, p.pid()) && System.nanoTime() < giveUp) {
        Thread.sleep(5);
      }
      finished += p.waitFor(delay, TimeUnit.MILLISECONDS) ? 1 : 0;
      Jvm.killTree(p);

      String when = "kill " + i + " after " + delay + " ms" + (atWrite ? " of writing" : "");
      assertEquals(others, FileTrees.hashes(dir, ofOutput), when + ": nothing else changed");
      restored += Files.exists(output, LinkOption.NOFOLLOW_LINKS) ? 0 : 1;
      // Reading it is what the next command does; a missing path is restored from the aside copy.
      assertEquals(
          List.of(10), ModelReader.readWeights(output).spec().outputShape(), when + ": loads");
    }

    int leftovers = names(dir, ofOutput).size() - 1;
    assertEquals(0, Jvm.runToEnd(Jvm.program(false, args), log, 300), Files.readString(log));
    assertEquals(Set.of(name), names(dir, ofOutput), "the next run cleaned up after the kills");
    assertEquals(others, FileTrees.hashes(dir, ofOutput));
    System.out.printf(
        "%s: run %d ms; %d kills (%d after the run had ended), %d found the path missing,"
            + " %d leftovers cleaned by the last run%n",
        command[0], runMillis, KILLS, finished, restored, leftovers);
  }

  /** Whether process {@code pid} has begun writing {@code name}: its temporary is there. */
  private static boolean writing(Path dir, String name, long pid) throws Exception {
    String prefix = "." + name + ".tmp-" + pid + "-";
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    }
  }

  private static Set<String> names(Path dir, Predicate<String> filter) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(filter).collect(Collectors.toSet());
    }
  }
}
