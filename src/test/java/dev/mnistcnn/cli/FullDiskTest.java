package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void everyModelFormatOntoAFullDiskSaysWhatFailed() throws Exception {
    for (String name : List.of("m.keras", "m.h5", "saved_model")) {
      Path disk = Files.createDirectories(tmp.resolve("disk-" + name));
      Path listing = tmp.resolve("listing-" + name);
      Path output = disk.resolve(name);
      ProcessBuilder pb =
          inOwnMount( // as a user runs it: the launcher filters TensorFlow's chatter
              SCRIPT,
              disk,
              listing,
              "convert",
              "--input",
              TestData.shippedModel().toString(),
              "--output",
              output.toString());
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

  /**
   * {@code train} into a read-only folder (a tmpfs remounted read-only: refused even to root) is
   * refused before the first step, in one line, with nothing written.
   */
  @Test
  void trainIntoAReadOnlyFolderIsRefusedBeforeTraining() throws Exception {
    Path disk = Files.createDirectories(tmp.resolve("read-only"));
    Path listing = tmp.resolve("listing-read-only");
    Path output = disk.resolve("out/model");
    String readOnly =
        """
        mount -t tmpfs -o size=1m tmpfs "$1" || exit 99
        mkdir "$1/out" && mount -o remount,ro "$1" || exit 98
        dir=$1; listing=$2; shift 2
        "$@"; rc=$?
        ls -A "$dir/out" > "$listing"
        exit $rc
        """;
    ProcessBuilder pb =
        inOwnMount(
            readOnly,
            disk,
            listing,
            "train",
            "--limit",
            "200",
            "--epochs",
            "1",
            "--output",
            output.toString());
    Path log = tmp.resolve("log-read-only");
    int code = Jvm.runToEnd(pb, log, 120);
    String said = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(1, code, said);
    List<String> lines = said.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), said);
    assertTrue(lines.get(0).startsWith("error: cannot write"), said);
    assertFalse(said.contains("Training on"), "refused before training: " + said);
    assertEquals(List.of(), Files.readAllLines(listing), "nothing written");
  }

  /** The program, run by {@code script} in a user and mount namespace of its own. */
  private static ProcessBuilder inOwnMount(String script, Path dir, Path listing, String... args) {
    ProcessBuilder pb = Jvm.program(true, args);
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
                script,
                "sh",
                dir.toString(),
                listing.toString()));
    return pb;
  }
}
