package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}'s optimizer options refused with one line, before any data is read or written. */
@Tag(Tier.FAST)
class OptimizerOptionTest {
  @TempDir Path tmp;

  @Test
  void badOptimizerSettingsAreRefusedBeforeTraining() throws Exception {
    String out = tmp.resolve("model").toString();
    String ckpt = tmp.resolve("ckpts").toString();
    assertRefused(
        "unknown --optimizer 'foo' (expected one of [adam, sgd, rmsprop])",
        "--optimizer",
        "foo",
        "--output",
        out,
        "--checkpoint-dir",
        ckpt);
    assertRefused(
        "--learning-rate must be positive, got -1.0",
        "--learning-rate",
        "-1",
        "--output",
        out,
        "--checkpoint-dir",
        ckpt);
    assertRefused(
        "--learning-rate must be positive, got NaN",
        "--optimizer",
        "sgd",
        "--learning-rate",
        "NaN",
        "--output",
        out);
    assertRefused(
        "--momentum must be in [0, 1], got 1.5",
        "--optimizer",
        "sgd",
        "--momentum",
        "1.5",
        "--output",
        out);
    assertRefused(
        "--momentum must be in [0, 1], got -0.1",
        "--optimizer",
        "rmsprop",
        "--momentum",
        "-0.1",
        "--output",
        out);
    assertRefused(
        "--momentum applies to --optimizer sgd or rmsprop only",
        "--momentum",
        "0.9",
        "--output",
        out);
    assertRefused(
        "--nesterov needs --momentum greater than 0",
        "--optimizer",
        "sgd",
        "--nesterov",
        "--output",
        out);
    assertRefused(
        "--nesterov applies to --optimizer sgd only",
        "--optimizer",
        "rmsprop",
        "--momentum",
        "0.9",
        "--nesterov",
        "--output",
        out);
    assertFalse(Files.exists(tmp.resolve("model")), "no model written");
    assertFalse(Files.exists(tmp.resolve("ckpts")), "no checkpoint folder made");
    assertEquals(0, tmp.toFile().list().length, "nothing written at all");
  }

  private static void assertRefused(String message, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "train";
    System.arraycopy(args, 0, command, 1, args.length);
    Cli.Run r = Cli.run(command);
    r.assertOneLineError(message);
    assertFalse(r.out().contains("Training on"), "refused before any work: " + r.out());
  }
}
