package dev.mnistcnn.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run killed at each step of a swap leaves, and how the next run repairs it. */
@Tag(Tier.FAST)
class LeftoversTest {
  @TempDir Path tmp;

  /** The id of a process that has certainly ended. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void killedBetweenMovingAsideAndRenamingInTheNextReadRestoresTheOldModel() throws Exception {
    long dead = deadPid();
    Path aside = tmp.resolve(".model.old-" + dead + "-abc");
    FileTrees.copy(TestData.shippedModel(), aside);
    Path fresh = tmp.resolve(".model.tmp-" + dead + "-def");
    Files.createDirectories(fresh.resolve("variables")); // the new one, half-written
    Map<String, String> old = FileTrees.hashes(aside);

    Path model = tmp.resolve("model");
    assertEquals(ModelFormat.SAVED_MODEL, ModelFormat.detect(model)); // a read repairs
    assertEquals(old, FileTrees.hashes(model));
    assertEquals(Set.of("model"), names(tmp), "leftovers of the dead run removed");
    assertEquals(10, ModelReader.read(model, null).weights().spec().outputShape().get(0));
  }

  @Test
  void theNextWriteDeletesDeadRunsLeftoversAndNothingElse() throws Exception {
    long dead = deadPid();
    long alive = ProcessHandle.current().pid();
    Path file = tmp.resolve("m.keras");
    Files.writeString(file, "old");
    List<String> deadOnes =
        List.of(
            ".m.keras.tmp-" + dead + "-x1",
            ".m.keras.tmp-" + dead + "-x2.weights.h5",
            ".m.keras.old-" + dead + "-x3",
            // names version 0.1.0 gave, without a process id
            ".m.keras.8117387306052459061.tmp",
            ".m.keras.8117387306052459061.tmp.weights.h5",
            ".m.keras.tmp-12007744083476585541");
    List<String> kept =
        List.of(
            ".m.keras.tmp-" + alive + "-y1", // a run still going
            ".m.keras.tmp-notours", // not our naming
            ".m.keras.tmp-12a",
            ".other.tmp-" + dead + "-z", // another target's
            "m.keras.tmp-" + dead + "-z", // no leading dot: a user's file
            "notes.txt");
    for (String name : deadOnes) {
      Files.createDirectories(tmp.resolve(name).resolve("variables"));
    }
    Files.writeString(tmp.resolve(deadOnes.get(0)).resolve("variables/x"), "leftover");
    for (String name : kept) {
      Files.writeString(tmp.resolve(name), "keep " + name);
    }
    Map<String, String> before =
        FileTrees.hashes(tmp, n -> deadOnes.contains(n) || n.equals("m.keras"));

    AtomicFiles.writeBytes(file, "new".getBytes(StandardCharsets.US_ASCII));

    assertEquals("new", Files.readString(file));
    for (String name : deadOnes) {
      assertFalse(Files.exists(tmp.resolve(name)), name);
    }
    assertEquals(before, FileTrees.hashes(tmp, n -> n.equals("m.keras")));
  }

  @Test
  void anOldCopyMovedAsideByVersion010IsRestoredToo() throws Exception {
    Path aside = tmp.resolve(".model.old-3520455184519366153");
    FileTrees.copy(TestData.shippedModel(), aside);
    Map<String, String> old = FileTrees.hashes(aside);
    AtomicFiles.recover(tmp.resolve("model"));
    assertEquals(old, FileTrees.hashes(tmp.resolve("model")));
    assertEquals(Set.of("model"), names(tmp));
  }

  @Test
  void aLeftoverLinkIsRemovedWithoutFollowingIt() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(docs.resolve("thesis.txt"), "important");
    Path link = tmp.resolve(".out.old-" + deadPid() + "-abc");
    Files.createSymbolicLink(link, docs);
    Files.createDirectories(tmp.resolve("out"));

    AtomicFiles.recover(tmp.resolve("out"));

    assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals("important", Files.readString(docs.resolve("thesis.txt")));
  }

  @Test
  void aDirectoryReplacesAFileAndBackWithNothingLeftBeside() throws Exception {
    Path out = tmp.resolve("out");
    Files.writeString(out, "a file");
    AtomicFiles.writeDirectory(out, t -> Files.createDirectories(t.resolve("inside")));
    assertTrue(Files.isDirectory(out.resolve("inside")));
    AtomicFiles.writeBytes(out, new byte[] {7});
    assertEquals(1, Files.size(out));
    assertEquals(Set.of("out"), names(tmp));
  }
}
