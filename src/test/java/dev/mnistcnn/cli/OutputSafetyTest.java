package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.io.ModelReader;
import dev.mnistcnn.store.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that write a model never destroy what the user had at (or under) the output path. */
@Tag(Tier.FAST)
class OutputSafetyTest {
  @TempDir Path tmp;

  private Path model;

  @BeforeEach
  void ourModel() throws Exception {
    model = tmp.resolve("sm");
    FileTrees.copy(TestData.shippedModel(), model);
  }

  private static CliTest.Run export(Path from, Path to, String format, String... more) {
    String[] base = {
      "export", "--model", from.toString(), "--format", format, "--output", to.toString()
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliTest.run(args);
  }

  @Test
  void aUserDirectoryIsRefusedEvenWithForce() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(docs.resolve("thesis.txt"), "important");
    Files.createDirectories(docs.resolve("variables")); // a model's name does not make it a model
    Map<String, String> before = FileTrees.hashes(tmp);

    export(model, docs, "savedmodel").assertOneLineError("not part of a model (thesis.txt)");
    export(model, docs, "savedmodel", "--force").assertOneLineError("even with --force");
    CliTest.run("convert", "--input", model.toString(), "--output", docs.toString(), "--force")
        .assertOneLineError("refusing to replace it");
    assertEquals(before, FileTrees.hashes(tmp));
  }

  @Test
  void aRegularFileIsRefusedWithoutForceAndReplacedWithIt() throws Exception {
    Path file = tmp.resolve("notes.h5");
    Files.writeString(file, "not a model");
    Map<String, String> before = FileTrees.hashes(tmp);

    export(model, file, "h5").assertOneLineError("is not a model this program wrote");
    export(model, tmp.resolve("notes.h5"), "h5").assertOneLineError("--force");
    assertEquals(before, FileTrees.hashes(tmp));

    CliTest.Run forced = export(model, file, "h5", "--force");
    assertEquals(0, forced.code(), forced.err());
    var written = ModelReader.readWeights(file);
    var source = ModelReader.readWeights(model);
    for (String path : source.values().keySet()) {
      assertArrayEquals(source.get(path), written.get(path), path);
    }
  }

  @Test
  void outputInsideInputContainingItOrTheSameIsRefused() throws Exception {
    Map<String, String> before = FileTrees.hashes(tmp);
    CliTest.run(
            "convert",
            "--input",
            model.toString(),
            "--output",
            model.resolve("variables").toString())
        .assertOneLineError("is inside the input");
    CliTest.run("convert", "--input", model.toString(), "--output", tmp.toString(), "--force")
        .assertOneLineError("contains the input");
    export(model, model, "savedmodel", "--force").assertOneLineError("is the input");
    // Another name for the same place is the same place.
    Path link = Files.createSymbolicLink(tmp.resolve("link"), model);
    export(link, model.resolve("x.keras"), "keras").assertOneLineError("is inside the input");
    CliTest.run("train", "--from", model.toString(), "--output", model.resolve("sub").toString())
        .assertOneLineError("is inside the input");
    before.put("link", FileTrees.hashes(tmp).get("link"));
    assertEquals(before, FileTrees.hashes(tmp));
  }

  @Test
  void ourModelsAreReplacedAndForeignModelsNeedForce() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(0, export(model, out, "savedmodel").code());
    String first = Files.readString(out.resolve(Provenance.FILE_NAME));
    assertEquals(0, export(model, out, "savedmodel").code(), "our own model: replaced");
    assertFalse(first.equals(Files.readString(out.resolve(Provenance.FILE_NAME))));

    Path keras = tmp.resolve("m.keras");
    assertEquals(0, export(model, keras, "keras").code());
    assertEquals(0, export(model, keras, "keras").code(), "our own .keras: replaced");

    // A SavedModel without our provenance (as Keras's model.export() writes) is not ours.
    Files.delete(out.resolve(Provenance.FILE_NAME));
    Map<String, String> foreign = FileTrees.hashes(out);
    export(model, out, "savedmodel").assertOneLineError("not a model this program wrote");
    assertEquals(foreign, FileTrees.hashes(out));
    assertEquals(0, export(model, out, "savedmodel", "--force").code());
    assertTrue(Files.isRegularFile(out.resolve(Provenance.FILE_NAME)));

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertEquals(0, export(model, empty, "savedmodel").code(), "an empty directory is free");
  }

  @Test
  void aLinkIsReplacedOnlyWithForceAndNeverWhatItPointsTo() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(docs.resolve("thesis.txt"), "important");
    Path link = Files.createSymbolicLink(tmp.resolve("out"), docs);
    Map<String, String> docsBefore = FileTrees.hashes(docs);

    export(model, link, "savedmodel").assertOneLineError("--force");
    assertTrue(Files.isSymbolicLink(link));
    CliTest.Run forced = export(model, link, "savedmodel", "--force");
    assertEquals(0, forced.code(), forced.err());
    assertFalse(Files.isSymbolicLink(link));
    assertTrue(Files.isRegularFile(link.resolve("saved_model.pb")));
    assertEquals(docsBefore, FileTrees.hashes(docs));
  }

  @Test
  void trainRefusesBeforeTraining() throws Exception {
    Path file = tmp.resolve("data.bin");
    Files.write(file, new byte[] {1, 2, 3});
    CliTest.Run r = CliTest.run("train", "--epochs", "1", "--output", file.toString());
    r.assertOneLineError("not a model this program wrote");
    assertFalse(r.out().contains("Training on"), "refused before any work: " + r.out());
    assertEquals(3, Files.size(file));
  }
}
