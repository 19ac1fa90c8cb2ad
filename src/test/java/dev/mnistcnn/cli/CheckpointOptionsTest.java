package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}'s checkpoint options refused with one line, before any training. */
@Tag(Tier.FAST)
class CheckpointOptionsTest {
  @TempDir Path tmp;

  @Test
  void badIntervalsAndCountsAreRefused() throws Exception {
    String dir = tmp.resolve("ckpts").toString();
    Cli.run("train", "--checkpoint-dir", dir, "--checkpoint-every", "0", "--output", out())
        .assertOneLineError("--checkpoint-every must be a number of steps or 'epoch', got '0'");
    Cli.run("train", "--checkpoint-dir", dir, "--checkpoint-every", "epochs")
        .assertOneLineError("--checkpoint-every must be a number of steps or 'epoch'");
    Cli.run("train", "--checkpoint-dir", dir, "--keep-checkpoints", "0")
        .assertOneLineError("--keep-checkpoints must be at least 1, got 0");
    Cli.run("train", "--keep-checkpoints", "2", "--output", out())
        .assertOneLineError("--checkpoint-every and --keep-checkpoints need --checkpoint-dir");
    assertEquals(false, Files.exists(tmp.resolve("ckpts")), "nothing written");
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "the user's");
    Cli.run("train", "--checkpoint-dir", file.toString(), "--output", out())
        .assertOneLineError("checkpoint directory " + file + " is not a folder");
    assertEquals("the user's", Files.readString(file));
  }

  @Test
  void resumingFromNothingIsRefused() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "not a checkpoint");
    Cli.run("train", "--limit", "200", "--resume", empty.toString(), "--output", out())
        .assertOneLineError("no complete checkpoint in " + empty + " to resume from");
    Cli.run(
            "train",
            "--limit",
            "200",
            "--resume",
            tmp.resolve("nowhere").toString(),
            "--output",
            out())
        .assertOneLineError("no complete checkpoint in " + tmp.resolve("nowhere"));
    assertEquals("not a checkpoint", Files.readString(empty.resolve("notes.txt")));
    assertEquals(false, Files.exists(tmp.resolve("model")), "no model written");
  }

  private String out() {
    return tmp.resolve("model").toString();
  }
}
