package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --recipe}, the schedule and augmentation options: bad values are one line. */
@Tag(Tier.FAST)
class RecipeOptionsTest {
  @TempDir Path tmp;

  @Test
  void badRecipesSchedulesAndAugmentationsAreRefusedInOneLine() {
    String out = tmp.resolve("model").toString();
    Cli.run("train", "--recipe", "strong", "--output", out)
        .assertOneLineError("unknown --recipe 'strong': expected seed or augmented");
    Cli.run("train", "--lr-schedule", "step", "--output", out)
        .assertOneLineError(
            "unknown --lr-schedule 'step': expected constant, exponential or cosine");
    Cli.run("train", "--lr-schedule", "constant", "--decay-rate", "0.5", "--output", out)
        .assertOneLineError("--decay-rate does not apply to the constant learning-rate schedule");
    Cli.run("train", "--lr-schedule", "exponential", "--alpha", "0.1", "--output", out)
        .assertOneLineError("--alpha does not apply to the exponential learning-rate schedule");
    Cli.run("train", "--lr-schedule", "cosine", "--alpha", "2", "--output", out)
        .assertOneLineError("--alpha must be in [0, 1], got 2.0");
    Cli.run("train", "--lr-schedule", "exponential", "--decay-steps", "0", "--output", out)
        .assertOneLineError("--decay-steps must be positive, got 0");
    Cli.run("train", "--augmentation", "2,10", "--output", out)
        .assertOneLineError("--augmentation must be none or SHIFT,DEGREES,ZOOM (e.g. 2,10,0.1)");
    Cli.run("train", "--augmentation", "2,10,1.5", "--output", out)
        .assertOneLineError("augmentation zoom must be in [0.0, 0.9], got 1.5");
    assertEquals(false, Files.exists(tmp.resolve("model")), "nothing written");
  }
}
