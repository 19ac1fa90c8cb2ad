package dev.mnistcnn.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output paths resolve as the OS resolves them, so the path checked is the path written. */
@Tag(Tier.FAST)
class OsPathsTest {
  @TempDir Path tmp;

  @Test
  void dotDotAfterALinkIsTheParentOfTheLinksTarget() throws Exception {
    Path root = tmp.toRealPath();
    Files.createDirectories(root.resolve("elsewhere/deep"));
    Path work = Files.createDirectories(root.resolve("work"));
    Files.createSymbolicLink(work.resolve("link"), Path.of("../elsewhere/deep"));

    assertEquals(
        root.resolve("elsewhere/precious"), OsPaths.resolve(work.resolve("link/../precious")));
    assertEquals(root.resolve("elsewhere"), OsPaths.resolve(work.resolve("link/..")));
    // Names that do not exist yet are created as folders: no link among them.
    assertEquals(work.resolve("x"), OsPaths.resolve(work.resolve("new/../x")));
    assertEquals(work.resolve("x"), OsPaths.resolve(work.resolve("./x")));
  }

  @Test
  void aLinkInTheLastNameIsKept() throws Exception {
    Path root = tmp.toRealPath();
    Path target = Files.createDirectories(root.resolve("target"));
    Path link = Files.createSymbolicLink(root.resolve("out"), target);
    assertEquals(link, OsPaths.resolve(link));
    assertEquals(target.resolve("m"), OsPaths.resolve(link.resolve("m")));
  }

  @Test
  void aWriteThroughDotDotAfterALinkLandsWhereTheOsSays() throws Exception {
    Path root = tmp.toRealPath();
    Files.createDirectories(root.resolve("elsewhere/deep"));
    Path work = Files.createDirectories(root.resolve("work"));
    Path precious = Files.createDirectories(work.resolve("precious"));
    Files.writeString(precious.resolve("thesis.txt"), "years of work");
    Files.createSymbolicLink(work.resolve("link"), Path.of("../elsewhere/deep"));

    AtomicFiles.writeDirectory(work.resolve("link/../precious"), Files::createDirectory);

    assertEquals("years of work", Files.readString(precious.resolve("thesis.txt")));
    assertEquals(true, Files.isDirectory(root.resolve("elsewhere/precious")));
  }
}
