package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.io.ModelReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
    CliTest.Run made =
        CliTest.run(
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
   * Runs {@code command --output dir/name}: twice whole, {@value KILLS} times killed, once whole.
   */
  private void killAtRandomMoments(String name, long seed, String... command) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(dir.resolve("notes.txt"), "the user's notes");
    byte[] data = new byte[1 << 16];
    new Random(seed).nextBytes(data);
    Files.write(dir.resolve("data.bin"), data);
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/x.txt"), "x");
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
