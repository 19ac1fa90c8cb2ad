package dev.mnistcnn.serve.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.serve.models.VersionStatus.State;
import dev.mnistcnn.support.ModelVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions of real models in real folders, polled by hand ({@link ModelManager#pollNow}, poll
 * interval zero), so that each step is one poll: policies, labels, takeover, leases that hold a
 * version, folders still being copied, broken and removed versions.
 */
@Tag(Tier.FAST)
class ModelManagerTest {
  private static final String NAME = "mnist";

  private static float[] image;
  private static float[] plainAnswer;
  private static float[] augmentedAnswer;

  @TempDir Path base;

  @BeforeAll
  static void answers() throws Exception {
    image = TestData.mnist().test().imagesAsFloats(0, 1);
    try (Predictor plain = Predictor.open(ModelVersions.plain());
        Predictor augmented = Predictor.open(ModelVersions.augmented())) {
      plainAnswer = plain.probabilities(image, 1);
      augmentedAnswer = augmented.probabilities(image, 1);
    }
    assertFalse(java.util.Arrays.equals(plainAnswer, augmentedAnswer), "the versions differ");
  }

  @AfterAll
  static void noPollerLeft() {
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().startsWith("model-versions-")),
        "every manager's thread ends with close");
  }

  private ModelManager start(VersionPolicy policy, Map<String, Long> labels) {
    return ModelManager.start(
        List.of(new BasePathModel(NAME, base, policy, labels)), settings(false));
  }

  private static ModelManager.Settings settings(boolean labelsForUnavailable) {
    return new ModelManager.Settings(
        ModelTrust.CHECKED,
        Duration.ofSeconds(10),
        BatchingConfig.disabled(),
        Duration.ZERO,
        labelsForUnavailable);
  }

  private static float[] answer(ServedModels models, ModelSpec spec) throws Exception {
    try (Lease lease = models.acquire(spec)) {
      return lease.inference().probabilities(image, 1).toCompletableFuture().get();
    }
  }

  private static long versionOf(ServedModels models, ModelSpec spec) throws Exception {
    try (Lease lease = models.acquire(spec)) {
      return lease.version();
    }
  }

  private static List<String> states(ServedModels models) throws Exception {
    return models.status(NAME, null).stream().map(v -> v.version() + " " + v.state()).toList();
  }

  @Test
  void latestServesTheNewestNumberedFolder() throws Exception {
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    ModelVersions.deploy(base, 2, ModelVersions.augmented());
    FileTrees.copy(ModelVersions.plain(), base.resolve("10-not-a-version"));
    FileTrees.copy(ModelVersions.plain(), base.resolve("draft"));
    try (ModelManager models = start(VersionPolicy.latest(), Map.of())) {
      assertEquals(List.of("2 AVAILABLE"), states(models));
      assertEquals(List.of(NAME), models.names());
      assertArrayEquals(augmentedAnswer, answer(models, ModelSpec.latest(NAME)));
      assertArrayEquals(augmentedAnswer, answer(models, new ModelSpec(NAME, 2L, null)));
      ServableNotFoundException e =
          assertThrows(
              ServableNotFoundException.class, () -> models.acquire(new ModelSpec(NAME, 1L, null)));
      assertEquals("Servable not found for request: Specific(mnist, 1)", e.getMessage());
      assertEquals("NOT_FOUND", e.code());
      assertEquals(
          "Servable not found for request: Latest(other)",
          assertThrows(
                  ServableNotFoundException.class, () -> models.acquire(ModelSpec.latest("other")))
              .getMessage());
      assertEquals(
          "Could not find version 1 of model mnist",
          assertThrows(ServableNotFoundException.class, () -> models.status(NAME, 1L))
              .getMessage());
    }
  }

  @Test
  void policiesPickLatestTwoAllOrSpecific() throws Exception {
    for (long v = 1; v <= 3; v++) {
      ModelVersions.deploy(base, v, v == 2 ? ModelVersions.augmented() : ModelVersions.plain());
    }
    try (ModelManager models = start(new VersionPolicy.Latest(2), Map.of())) {
      assertEquals(List.of("3 AVAILABLE", "2 AVAILABLE"), states(models));
      assertArrayEquals(augmentedAnswer, answer(models, new ModelSpec(NAME, 2L, null)));
    }
    try (ModelManager models = start(new VersionPolicy.All(), Map.of())) {
      assertEquals(List.of("3 AVAILABLE", "2 AVAILABLE", "1 AVAILABLE"), states(models));
      assertArrayEquals(plainAnswer, answer(models, new ModelSpec(NAME, 1L, null)));
    }
    try (ModelManager models = start(VersionPolicy.Specific.of(1L, 2L, 7L), Map.of())) {
      assertEquals(List.of("2 AVAILABLE", "1 AVAILABLE"), states(models));
      assertEquals(2, versionOf(models, ModelSpec.latest(NAME)), "the newest of those served");
    }
  }

  @Test
  void labelsNameAvailableVersions() throws Exception {
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    ModelVersions.deploy(base, 2, ModelVersions.augmented());
    try (ModelManager models = start(new VersionPolicy.All(), Map.of("stable", 1L, "canary", 2L))) {
      assertArrayEquals(plainAnswer, answer(models, new ModelSpec(NAME, null, "stable")));
      assertArrayEquals(augmentedAnswer, answer(models, new ModelSpec(NAME, null, "canary")));
      ServableNotFoundException e =
          assertThrows(
              ServableNotFoundException.class,
              () -> models.acquire(new ModelSpec(NAME, null, "nope")));
      assertEquals("Unrecognized servable version label: nope", e.getMessage());
      assertEquals("INVALID_ARGUMENT", e.code());
    }
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> start(VersionPolicy.latest(), Map.of("stable", 1L)));
    assertEquals(
        "Request to assign label to version 1 of model mnist, which is not currently available"
            + " for inference",
        refused.getMessage());
    try (ModelManager models =
        ModelManager.start(
            List.of(new BasePathModel(NAME, base, VersionPolicy.latest(), Map.of("old", 1L))),
            settings(true))) {
      assertEquals(
          "Servable not found for request: Specific(mnist, 1)",
          assertThrows(
                  ServableNotFoundException.class,
                  () -> models.acquire(new ModelSpec(NAME, null, "old")))
              .getMessage());
    }
  }

  @Test
  void aNewVersionTakesOverAndTheOldLeavesWithItsLastLease() throws Exception {
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    try (ModelManager models = start(VersionPolicy.latest(), Map.of())) {
      Lease held = models.acquire(ModelSpec.latest(NAME));
      ModelVersions.deploy(base, 2, ModelVersions.augmented());
      models.pollNow(); // first sighting: not loaded until its listing holds for a poll
      assertEquals(List.of("1 AVAILABLE"), states(models));
      models.pollNow();
      assertEquals(List.of("2 AVAILABLE", "1 UNLOADING"), states(models));
      assertArrayEquals(augmentedAnswer, answer(models, ModelSpec.latest(NAME)));
      assertArrayEquals(
          plainAnswer,
          held.inference().probabilities(image, 1).toCompletableFuture().get(),
          "a leased version still answers after its successor took over");
      held.close();
      held.close(); // idempotent
      assertEquals(List.of("2 AVAILABLE", "1 END"), states(models));
    }
  }

  @Test
  void aFolderStillBeingCopiedIsNotLoaded() throws Exception {
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    try (ModelManager models = start(VersionPolicy.latest(), Map.of())) {
      Path two = Files.createDirectories(base.resolve("2"));
      Files.copy(
          ModelVersions.augmented().resolve("saved_model.pb"), two.resolve("saved_model.pb"));
      models.pollNow();
      assertEquals(List.of("1 AVAILABLE"), states(models));
      FileTrees.copy(
          ModelVersions.augmented().resolve("variables"), two.resolve("variables")); // copy goes on
      models.pollNow();
      assertEquals(List.of("1 AVAILABLE"), states(models), "changed since the last poll");
      models.pollNow();
      assertEquals(List.of("2 AVAILABLE", "1 END"), states(models));
      assertArrayEquals(augmentedAnswer, answer(models, ModelSpec.latest(NAME)));
    }
  }

  @Test
  void aBrokenVersionIsReportedTheOldKeepsServingAndAFixedCopyLoads() throws Exception {
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    try (ModelManager models = start(VersionPolicy.latest(), Map.of())) {
      Path two = Files.createDirectories(base.resolve("2"));
      Files.writeString(two.resolve("saved_model.pb"), "not a graph");
      models.pollNow();
      models.pollNow();
      VersionStatus broken = models.status(NAME, 2L).get(0);
      assertEquals(State.END, broken.state());
      assertEquals("UNKNOWN", broken.errorCode());
      assertFalse(broken.errorMessage().isEmpty());
      assertEquals(State.AVAILABLE, models.status(NAME, 1L).get(0).state());
      assertArrayEquals(plainAnswer, answer(models, ModelSpec.latest(NAME)));
      models.pollNow();
      assertEquals(State.END, models.status(NAME, 2L).get(0).state(), "final while unchanged");

      FileTrees.delete(two);
      ModelVersions.deploy(base, 2, ModelVersions.augmented());
      models.pollNow(); // changed: waits for a still listing again
      assertEquals(VersionStatus.ok(2, State.START), models.status(NAME, 2L).get(0));
      models.pollNow();
      assertEquals(List.of("2 AVAILABLE", "1 END"), states(models));
      assertArrayEquals(augmentedAnswer, answer(models, ModelSpec.latest(NAME)));
    }
  }

  @Test
  void aRemovedVersionIsUnloaded() throws Exception {
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    ModelVersions.deploy(base, 2, ModelVersions.augmented());
    try (ModelManager models = start(new VersionPolicy.All(), Map.of())) {
      FileTrees.delete(base.resolve("2"));
      models.pollNow();
      assertEquals(List.of("2 END", "1 AVAILABLE"), states(models));
      assertArrayEquals(plainAnswer, answer(models, ModelSpec.latest(NAME)));
    }
  }

  @Test
  void aVersionFolderMayHoldOneKerasOrH5File() throws Exception {
    Path keras = TestData.projectDir().resolve("src/test/resources/keras-3.3.3");
    Files.copy(
        keras.resolve("seed-untrained.keras"),
        Files.createDirectories(base.resolve("1")).resolve("model.keras"));
    Path two = Files.createDirectories(base.resolve("2"));
    Files.copy(keras.resolve("seed-untrained.h5"), two.resolve("model.h5"));
    Path three = Files.createDirectories(base.resolve("3"));
    Files.copy(keras.resolve("seed-untrained.h5"), three.resolve("a.h5"));
    Files.copy(keras.resolve("seed-untrained.keras"), three.resolve("b.keras"));
    try (ModelManager models = start(new VersionPolicy.All(), Map.of())) {
      assertEquals(
          List.of("3 END", "2 AVAILABLE", "1 AVAILABLE"), states(models), "3 holds two models");
      assertTrue(
          models.status(NAME, 3L).get(0).errorMessage().startsWith("more than one model file in"));
      assertArrayEquals(
          answer(models, new ModelSpec(NAME, 1L, null)),
          answer(models, new ModelSpec(NAME, 2L, null)),
          "the same weights in both formats");
    }
  }

  @Test
  void closeUnloadsEveryVersionAndAnEmptyBasePathHasNoVersions() throws Exception {
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    ModelManager models =
        ModelManager.start(
            List.of(
                new BasePathModel(NAME, base, new VersionPolicy.All(), Map.of()),
                BasePathModel.latest("empty", base.resolve("nothing-here"))),
            new ModelManager.Settings(
                ModelTrust.CHECKED,
                Duration.ofSeconds(10),
                BatchingConfig.enabled(8, 0),
                Duration.ofSeconds(1),
                false));
    assertEquals(List.of(NAME, "empty"), models.names());
    assertEquals(
        "Could not find any versions of model empty",
        assertThrows(ServableNotFoundException.class, () -> models.status("empty", null))
            .getMessage());
    assertArrayEquals(plainAnswer, answer(models, ModelSpec.latest(NAME)), "batched, one alone");
    models.close();
    assertEquals(List.of("1 END"), states(models));
    assertNull(
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("model-versions-") && t.isAlive())
            .findAny()
            .orElse(null));
    assertTrue(models.batchStats().requests() >= 1, "a closed version's batches still count");
  }
}
