package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.Tier;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.ModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --deterministic} as a user runs it (through the launcher, which sets {@code
 * TF_DETERMINISTIC_OPS=1}), on 2,000 real MNIST images for 2 epochs of 10 steps: two runs with one
 * seed end an epoch with bit-identical variables (Adam's included) and identical epoch lines; a run
 * stopped after epoch 1, or in the middle of epoch 2, and resumed ends with the weights of a
 * straight run, bit for bit; a checkpoint of another recipe is refused with one line.
 */
@Tag(Tier.SLOW)
class DeterminismTest {
  private static final List<String> RECIPE =
      List.of("train", "--deterministic", "--limit", "2000", "--seed", "3");

  @TempDir Path tmp;

  @Test
  void sameSeedSameBitsAndAResumedRunEndsAsAStraightOne() throws Exception {
    Path straight = tmp.resolve("straight");
    String a =
        train(
            "--epochs",
            "2",
            "--checkpoint-dir",
            tmp.resolve("a").toString(),
            "--checkpoint-every",
            "5",
            "--keep-checkpoints",
            "10",
            "--output",
            straight.toString());
    String b =
        train(
            "--epochs",
            "1",
            "--checkpoint-dir",
            tmp.resolve("b").toString(),
            "--output",
            tmp.resolve("b-model").toString());
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("a/ckpt-000010/variables.bin")),
        Files.readAllBytes(tmp.resolve("b/ckpt-000010/variables.bin")),
        "every variable after epoch 1, bit for bit");
    assertEquals(epochLines(a).get(0), epochLines(b).get(0));

    // Stopped after epoch 1, resumed; stopped in the middle of epoch 2 (step 15), resumed.
    assertResumesToTheSameEnd("b", "ckpt-000010", "after epoch 1/2", epochLines(a), straight);
    Files.createDirectories(tmp.resolve("d"));
    FileTrees.copy(tmp.resolve("a/ckpt-000015"), tmp.resolve("d/ckpt-000015"));
    assertResumesToTheSameEnd("d", "ckpt-000015", "epoch 2/2, step 5/10", epochLines(a), straight);

    Path log = tmp.resolve("refused.txt");
    ProcessBuilder other =
        Jvm.program(
            true,
            Stream.concat(
                    RECIPE.stream(),
                    Stream.of(
                        "--epochs",
                        "2",
                        "--batch-size",
                        "100",
                        "--resume",
                        tmp.resolve("b").toString(),
                        "--output",
                        tmp.resolve("e").toString()))
                .toArray(String[]::new));
    assertEquals(1, Jvm.runToEnd(other, log, 300));
    String refused = Files.readString(log);
    assertTrue(
        refused.contains(
            "error: checkpoint "
                + tmp.resolve("b/ckpt-000020") // the newest: the resumed run went on writing there
                + " is from another recipe (batch_size: 200 there, 100 here); refusing to resume"
                + " from it\n"),
        refused);
    assertTrue(Files.notExists(tmp.resolve("e")));
  }

  /**
   * Resumes from {@code dir} to epoch 2 and checks that it said where from, printed the straight
   * run's second epoch line and ended with the straight run's weights.
   */
  private void assertResumesToTheSameEnd(
      String dir, String checkpoint, String position, List<String> straightLines, Path straight)
      throws Exception {
    Path model = tmp.resolve(dir + "-model");
    String out =
        train(
            "--epochs", "2", "--resume", tmp.resolve(dir).toString(), "--output", model.toString());
    String said = "Resumed from " + tmp.resolve(dir).resolve(checkpoint) + " (" + position + ")\n";
    assertTrue(out.contains(said), out);
    assertEquals(straightLines.subList(1, 2), epochLines(out));
    assertSameWeights(straight, model);
  }

  /** Runs the recipe with {@code args} to the end; returns its output. */
  private String train(String... args) throws Exception {
    Path log = tmp.resolve("log.txt");
    String[] command = Stream.concat(RECIPE.stream(), Stream.of(args)).toArray(String[]::new);
    assertEquals(0, Jvm.runToEnd(Jvm.program(true, command), log, 300), Files.readString(log));
    return Files.readString(log);
  }

  /** The epoch lines without their seconds (which differ) and epoch count (1 or 2 here). */
  private static List<String> epochLines(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith("Epoch "))
        .map(l -> l.replaceFirst("^Epoch (\\d+)/\\d+ - \\d+s - ", "Epoch $1 - "))
        .toList();
  }

  private static void assertSameWeights(Path expected, Path actual) throws Exception {
    ModelWeights a = ModelReader.readWeights(expected);
    ModelWeights b = ModelReader.readWeights(actual);
    for (ModelSpec.WeightRef ref : ModelSpec.seedCnn().weightRefs()) {
      assertArrayEquals(a.get(ref.path()), b.get(ref.path()), ref.path() + " bit for bit");
    }
  }
}
