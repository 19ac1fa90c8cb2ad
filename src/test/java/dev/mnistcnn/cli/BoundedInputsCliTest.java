package dev.mnistcnn.cli;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Cli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Files with no end or no size give one line, never an OutOfMemoryError or a hang. */
@Tag(Tier.FAST)
class BoundedInputsCliTest {
  private static final String MODEL = TestData.shippedModel().toString();

  @Test
  void predictOnDevZeroIsOneLine() {
    Cli.run("predict", "--model", MODEL, "/dev/zero")
        .assertOneLineError("not a regular file: /dev/zero");
    Cli.run("predict", "--model", MODEL, "--idx", "/dev/zero")
        .assertOneLineError("not a regular file: /dev/zero");
  }

  @Test
  void modelOnDevZeroIsOneLine() {
    for (String command : new String[] {"evaluate", "summary"}) {
      Cli.run(command, "--model", "/dev/zero")
          .assertOneLineError("/dev/zero is neither a directory nor a regular file");
    }
  }
}
