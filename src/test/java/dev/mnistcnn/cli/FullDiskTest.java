package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert} into a full file system: a real one, a 1 MB tmpfs filled up, mounted in a mount
 * namespace of the test's own ({@code unshare}, which needs no root where user namespaces are
 * allowed) so that nothing outside sees it. The error names the file and the reason, and no
 * temporary is left behind.
 */
@Tag(Tier.FAST)
class FullDiskTest {
  private static final String SCRIPT =
      """
      mount -t tmpfs -o size=1m tmpfs "$1" || exit 99
      dd if=/dev/zero of="$1/fill" bs=64k 2>/dev/null
      dir=$1; listing=$2; shift 2
      "$@"; rc=$?
      ls -A "$dir" > "$listing"
      exit $rc
      """;

  @TempDir Path tmp;

  @Test
  void kerasAndH5OntoAFullDiskSayWhatFailed() throws Exception {
    for (String name : List.of("m.keras", "m.h5")) {
      Path disk = Files.createDirectories(tmp.resolve("disk-" + name));
      Path listing = tmp.resolve("listing-" + name);
      Path output = disk.resolve(name);
      ProcessBuilder pb =
          Jvm.program( // as a user runs it: the launcher filters TensorFlow's chatter
              true,
              "convert",
              "--input",
              TestData.shippedModel().toString(),
              "--output",
              output.toString());
      pb.command()
          .addAll(
              0,
              List.of(
                  "unshare",
                  "--user",
                  "--map-root-user",
                  "--mount",
                  "sh",
                  "-c",
                  SCRIPT,
                  "sh",
                  disk.toString(),
                  listing.toString()));
      Path log = tmp.resolve("log-" + name);
      int code = Jvm.runToEnd(pb, log, 120);
      String said = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(1, code, said);
      assertEquals(
          List.of("error: cannot write " + output + ": No space left on device"),
          said.lines().filter(l -> !l.isBlank()).toList());
      assertEquals(List.of("fill"), Files.readAllLines(listing), "no temporary left behind");
    }
  }
}
