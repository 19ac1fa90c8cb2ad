package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.support.Cli;
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

  private static Cli.Run export(Path from, Path to, String format, String... more) {
    String[] base = {
      "export", "--model", from.toString(), "--format", format, "--output", to.toString()
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return Cli.run(args);
  }

  @Test
  void aUserDirectoryIsRefusedEvenWithForce() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(docs.resolve("thesis.txt"), "important");
    Files.createDirectories(docs.resolve("variables")); // a model's name does not make it a model
    Map<String, String> before = FileTrees.hashes(tmp);

    export(model, docs, "savedmodel").assertOneLineError("not part of a model (thesis.txt)");
    export(model, docs, "savedmodel", "--force").assertOneLineError("even with --force");
    Cli.run("convert", "--input", model.toString(), "--output", docs.toString(), "--force")
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

    Cli.Run forced = export(model, file, "h5", "--force");
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
    Cli.run(
            "convert",
            "--input",
            model.toString(),
            "--output",
            model.resolve("variables").toString())
        .assertOneLineError("is inside the input");
    Cli.run("convert", "--input", model.toString(), "--output", tmp.toString(), "--force")
        .assertOneLineError("contains the input");
    export(model, model, "savedmodel", "--force").assertOneLineError("is the input");
    // Another name for the same place is the same place.
    Path link = Files.createSymbolicLink(tmp.resolve("link"), model);
    export(link, model.resolve("x.keras"), "keras").assertOneLineError("is inside the input");
    Cli.run("train", "--from", model.toString(), "--output", model.resolve("sub").toString())
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
    Cli.Run forced = export(model, link, "savedmodel", "--force");
    assertEquals(0, forced.code(), forced.err());
    assertFalse(Files.isSymbolicLink(link));
    assertTrue(Files.isRegularFile(link.resolve("saved_model.pb")));
    assertEquals(docsBefore, FileTrees.hashes(docs));
  }

  @Test
  void trainRefusesBeforeTraining() throws Exception {
    Path file = tmp.resolve("data.bin");
    Files.write(file, new byte[] {1, 2, 3});
    Cli.Run r = Cli.run("train", "--epochs", "1", "--output", file.toString());
    r.assertOneLineError("not a model this program wrote");
    assertFalse(r.out().contains("Training on"), "refused before any work: " + r.out());
    assertEquals(3, Files.size(file));
  }

  @Test
  void dotDotAfterALinkWritesWhereTheOsResolvesIt() throws Exception {
    Path root = tmp.toRealPath();
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere/deep")).getParent();
    Path work = Files.createDirectories(root.resolve("work"));
    Files.createDirectories(work.resolve("precious"));
    Files.writeString(work.resolve("precious/thesis.txt"), "years of work");
    Files.writeString(work.resolve("victim.keras"), "the user's");
    Files.createSymbolicLink(work.resolve("link"), Path.of("../elsewhere/deep"));
    Map<String, String> before = FileTrees.hashes(work);

    Cli.Run exported = export(model, work.resolve("link/../precious"), "savedmodel");
    assertEquals(0, exported.code(), exported.err());
    Cli.Run converted =
        Cli.run(
            "convert",
            "--input",
            model.toString(),
            "--output",
            work.resolve("link/../victim.keras").toString());
    assertEquals(0, converted.code(), converted.err());

    assertEquals(before, FileTrees.hashes(work), "nothing beside the link was touched");
    assertTrue(Files.isRegularFile(elsewhere.resolve("precious/saved_model.pb")));
    assertTrue(Files.isRegularFile(elsewhere.resolve("victim.keras")));
  }

  @Test
  void trainRefusesOverlappingOutputsBeforeTraining() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("to-model"), model);
    Map<String, String> before = FileTrees.hashes(tmp);
    String[][] overlaps = {
      {"--checkpoint-dir", model.toString(), "is the output"},
      {"--checkpoint-dir", model.resolve("variables").toString(), "is inside the output"},
      {"--checkpoint-dir", link.toString(), "is the output"},
      {"--logdir", model.resolve("tb").toString(), "is inside the output"},
      {"--logdir", model.toString(), "is the output"},
    };
    for (String[] overlap : overlaps) {
      Cli.Run r = Cli.run("train", "--output", model.toString(), overlap[0], overlap[1]);
      r.assertOneLineError(overlap[2]);
      assertFalse(r.out().contains("Training on"), "refused before any work: " + r.out());
    }
    // The model may go into the checkpoint folder, not at a checkpoint's name.
    Path ckpts = Files.createDirectories(tmp.resolve("ckpts"));
    Cli.run(
            "train",
            "--output",
            ckpts.resolve("ckpt-000003").toString(),
            "--checkpoint-dir",
            ckpts.toString())
        .assertOneLineError("writes its own files");
    Files.delete(ckpts);
    assertEquals(before, FileTrees.hashes(tmp), "nothing written, nothing left behind");
  }

  @Test
  void theCurvesBesideAModelFileAreCheckedBeforeTraining() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("m.keras.training-curves.png"));
    Files.writeString(folder.resolve("notes.txt"), "the user's");
    Files.writeString(tmp.resolve("m.h5.training-curves.png"), "the user's");
    Map<String, String> before = FileTrees.hashes(tmp);

    Cli.Run keras = Cli.run("train", "--output", tmp.resolve("m.keras").toString(), "--force");
    keras.assertOneLineError("is a directory; refusing to replace it, even with --force");
    assertFalse(keras.out().contains("Training on"), keras.out());
    Cli.Run h5 = Cli.run("train", "--output", tmp.resolve("m.h5").toString());
    h5.assertOneLineError("is not a chart this program wrote; choose another output, or pass");
    assertFalse(h5.out().contains("Training on"), h5.out());
    assertEquals(before, FileTrees.hashes(tmp));
  }
}
