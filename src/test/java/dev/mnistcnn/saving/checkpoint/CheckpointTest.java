package dev.mnistcnn.saving.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.graph.ModelGraph;
import dev.mnistcnn.graph.VariableValue;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.train.Checkpointing;
import dev.mnistcnn.train.Trainer;
import dev.mnistcnn.train.TrainingConfig;
import dev.mnistcnn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of a real run (600 MNIST images, batches of 100, 2 epochs, a checkpoint every 2
 * steps, the newest 2 kept) written beside a user's files: what is kept, what is restored, what is
 * skipped as corrupt and what is refused as another run's.
 */
@Tag(Tier.TRAINING)
class CheckpointTest {
  private static final TrainingConfig CONFIG =
      TrainingConfig.seedRecipe().withEpochs(2).withLimit(600).withBatchSize(100).withSeed(7);

  @TempDir static Path tmp;
  private static Path dir;
  private static Dataset mnist;
  private static List<EpochMetrics> history;
  private static Map<String, VariableValue> finalVariables;
  private static Map<String, String> userFiles;
  private static final List<String> warnings = new ArrayList<>();
  private static final String DEAD_TEMPORARY = ".ckpt-000005.tmp-999999999-dead";

  @BeforeAll
  static void trainWithCheckpoints() throws Exception {
    mnist = TestData.mnist();
    dir = Files.createDirectories(tmp.resolve("ckpts"));
    Files.writeString(dir.resolve("notes.txt"), "the user's notes");
    Files.createDirectories(dir.resolve("ckpt-000001"));
    Files.writeString(dir.resolve("ckpt-000001/mine.txt"), "a folder of the user's own");
    Files.writeString(dir.resolve("ckpt-000002"), "a file of the user's own");
    Files.writeString(dir.resolve(".ckpt-notes"), "hidden, the user's too");
    userFiles = FileTrees.hashes(dir);
    // What a run killed while writing ckpt-000005 left (no such process is alive).
    Files.createDirectories(dir.resolve(DEAD_TEMPORARY));
    Files.writeString(dir.resolve(DEAD_TEMPORARY).resolve("variables.bin"), "half");
    CheckpointStore store = new CheckpointStore(dir, 2, warnings::add);
    try (Trainer trainer = new Trainer(ModelSpec.seedCnn().initialWeights(7), CONFIG)) {
      history =
          trainer.fit(
              mnist.train(),
              mnist.test().head(500),
              TrainingListener.NONE,
              null,
              new Checkpointing(2, store.sink(run(CONFIG), 6, CONFIG.epochs())));
      finalVariables = trainer.variables();
    }
  }

  private static RunIdentity run(TrainingConfig config) {
    return RunIdentity.of(
        KerasModelConfig.toKeras3(ModelSpec.seedCnn()), config, "mnist", mnist.sha256());
  }

  @Test
  void keepsTheNewestAndTouchesNothingElseOfTheUsers() throws Exception {
    assertEquals(
        Set.of(
            "notes.txt",
            "ckpt-000001",
            "ckpt-000002", // the user's file: that step's checkpoint was skipped, with a warning
            ".ckpt-notes",
            DEAD_TEMPORARY,
            "ckpt-000010",
            "ckpt-000012"),
        names(dir));
    assertEquals(
        userFiles,
        FileTrees.hashes(dir, name -> name.matches("ckpt-0000(10|12)|\\.ckpt-000005.*")));
    assertEquals(
        List.of(
            "warning: not writing checkpoint "
                + dir.resolve("ckpt-000002")
                + ": something this program did not write has that name"),
        warnings);
    new CheckpointStore(dir, 2, line -> {}).recoverLeftovers();
    assertTrue(Files.notExists(dir.resolve(DEAD_TEMPORARY)), "a dead run's temporary is deleted");
    assertEquals(
        userFiles,
        FileTrees.hashes(dir, name -> name.matches("ckpt-0000(10|12)|\\.ckpt-000005.*")));
  }

  @Test
  void theNewestHoldsTheWholeStateAndRestoresItBitExactly() throws Exception {
    Path copy = copyOf("ckpt-000010", "ckpt-000012");
    CheckpointStore.Loaded loaded =
        new CheckpointStore(copy, 2, line -> {}).latest(run(CONFIG)).get();
    assertEquals(copy.resolve("ckpt-000012"), loaded.path());
    assertEquals(2, loaded.state().epochsDone());
    assertEquals(0, loaded.state().stepInEpoch());
    assertEquals(history, loaded.state().history());
    assertEquals(finalVariables, loaded.state().variables(), "every variable, bit for bit");
    assertTrue(
        finalVariables.keySet().containsAll(List.of("conv2d.kernel", "dense_1.bias")),
        "weights: " + finalVariables.keySet());
    assertTrue(finalVariables.size() > 8 * 3, "Adam's two slots per weight and its counters too");

    // A fresh trainer, other initial weights: resuming a finished run trains nothing more.
    try (Trainer trainer = new Trainer(ModelSpec.seedCnn().initialWeights(99), CONFIG)) {
      List<EpochMetrics> resumed =
          trainer.fit(
              mnist.train(),
              mnist.test().head(500),
              TrainingListener.NONE,
              loaded.state(),
              Checkpointing.NONE);
      assertEquals(history, resumed);
      assertEquals(finalVariables, trainer.variables());
      ModelWeights weights = trainer.weights();
      for (ModelSpec.WeightRef ref : ModelSpec.seedCnn().weightRefs()) {
        assertArrayEquals(
            finalVariables.get(ModelGraph.variableName(ref.path())).values(),
            weights.get(ref.path()));
      }
    }
  }

  @Test
  void aCorruptCheckpointIsSkippedForThePreviousOne() throws Exception {
    Path copy = copyOf("ckpt-000010", "ckpt-000012");
    Path newest = copy.resolve("ckpt-000012/variables.bin");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 2] ^= 1;
    Files.write(newest, bytes);
    List<String> warnings = new ArrayList<>();
    CheckpointStore store = new CheckpointStore(copy, 2, warnings::add);
    CheckpointStore.Loaded loaded = store.latest(run(CONFIG)).get();
    assertEquals(copy.resolve("ckpt-000010"), loaded.path());
    assertEquals(1, loaded.state().epochsDone());
    assertEquals(4, loaded.state().stepInEpoch(), "mid-epoch: step 10 is the 4th of epoch 2");
    assertEquals(
        List.of(
            "warning: skipping "
                + copy.resolve("ckpt-000012")
                + ": corrupt (variables.bin does not match its checksum)"),
        warnings);

    Files.writeString(copy.resolve("ckpt-000010/meta.json"), "{\"format\": \"mnist-cnn tra");
    assertTrue(store.latest(run(CONFIG)).isEmpty(), "no complete checkpoint left");
    assertEquals(3, warnings.size(), String.join("\n", warnings));
  }

  @Test
  void anotherRunsCheckpointIsRefusedWithOneLine() throws Exception {
    CheckpointStore store = new CheckpointStore(copyOf("ckpt-000012"), 2, line -> {});
    assertEquals(
        "checkpoint "
            + store.dir().resolve("ckpt-000012")
            + " is from another recipe (batch_size: 100 there, 50 here; training_images_limit:"
            + " 600 there, 700 here); refusing to resume from it",
        assertThrows(
                CheckpointRefusedException.class,
                () -> store.latest(run(CONFIG.withBatchSize(50).withLimit(700))))
            .getMessage());
    assertTrue(
        assertThrows(CheckpointRefusedException.class, () -> store.latest(run(CONFIG.withSeed(8))))
            .getMessage()
            .contains("is from another seed (7 there, 8 here)"));
    Map<String, String> otherData = new HashMap<>(mnist.sha256());
    otherData.replaceAll((file, sha) -> sha.replace('a', 'b'));
    RunIdentity otherDataset =
        RunIdentity.of(KerasModelConfig.toKeras3(ModelSpec.seedCnn()), CONFIG, "mnist", otherData);
    assertTrue(
        assertThrows(CheckpointRefusedException.class, () -> store.latest(otherDataset))
            .getMessage()
            .contains("is from another dataset"));
    // More epochs extend the run; determinism only reorders the arithmetic.
    assertTrue(store.latest(run(CONFIG.withEpochs(5).withDeterministic(true))).isPresent());
  }

  @Test
  void aFolderHoldingAnotherRunsCheckpointsIsRefusedForWriting() throws Exception {
    Path shared = copyOf("ckpt-000010", "ckpt-000012");
    Map<String, String> before = FileTrees.hashes(shared);
    CheckpointStore store = new CheckpointStore(shared, 1, line -> {});
    TrainingConfig seed8 = CONFIG.withSeed(8);
    String refused =
        assertThrows(CheckpointRefusedException.class, () -> store.requireOnlyRun(run(seed8)))
            .getMessage();
    // The training loop's sink refuses as well, with the same line, pruning nothing.
    assertEquals(
        refused,
        assertThrows(
                java.io.UncheckedIOException.class,
                () -> store.sink(run(seed8), 6, CONFIG.epochs()))
            .getMessage());
    assertTrue(
        refused.startsWith("checkpoint directory " + shared + " holds checkpoints of another run"),
        refused);
    assertTrue(refused.contains("another seed (7 there, 8 here)"), refused);
    assertEquals(before, FileTrees.hashes(shared), "another run's checkpoints are not pruned");
    // The same run (more epochs extend it) goes on writing there and prunes its own.
    store.sink(run(CONFIG.withEpochs(5)), 6, 5);
    assertEquals(Set.of("ckpt-000012"), names(shared));
  }

  /** A directory holding copies of the named checkpoints only. */
  private static Path copyOf(String... checkpoints) throws Exception {
    Path copy = Files.createTempDirectory(tmp, "copy");
    for (String name : checkpoints) {
      FileTrees.copy(dir.resolve(name), copy.resolve(name));
    }
    return copy;
  }

  private static Set<String> names(Path p) throws Exception {
    try (Stream<Path> s = Files.list(p)) {
      return s.map(x -> x.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
