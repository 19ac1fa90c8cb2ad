package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.CpuFeatures;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.train.Precision;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --precision} on whatever processor runs the suite (or the family that {@code
 * MNIST_CNN_SIMULATE_CPU} simulates): the first line and the provenance say what was picked and
 * why; bf16 trains where the processor has it and is refused in one line where it does not.
 */
@Tag(Tier.TRAINING)
class PrecisionCliTest {
  @TempDir Path tmp;

  @Test
  void autoSaysWhatItPickedAndWhyInTheFirstLineAndTheProvenance() throws Exception {
    Path model = tmp.resolve("auto");
    Cli.Run r = Cli.run("train", "--limit", "400", "--epochs", "1", "--output", model.toString());
    assertEquals(0, r.code(), r.err());
    Precision.Choice expected = Precision.choose("auto", CpuFeatures.current());
    String first = r.out().lines().findFirst().orElseThrow();
    assertTrue(first.endsWith("seed 42, " + expected.describe()), first);
    JsonNode trainer = provenance(model).path("trainer");
    assertEquals(expected.precision().cliName(), trainer.path("recipe").path("precision").asText());
    assertEquals(expected.reason(), trainer.path("precision_choice").asText());
    assertEquals(
        CpuFeatures.current().summary(), provenance(model).path("versions").path("cpu").asText());
  }

  @Test
  void anExplicitPrecisionRecordsNoAutoReason() throws Exception {
    Path model = tmp.resolve("explicit-fp32");
    Cli.Run r =
        Cli.run(
            "train",
            "--limit",
            "400",
            "--epochs",
            "1",
            "--precision",
            "fp32",
            "--output",
            model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().findFirst().orElseThrow().endsWith("seed 42, fp32"), r.out());
    JsonNode trainer = provenance(model).path("trainer");
    assertEquals("fp32", trainer.path("recipe").path("precision").asText());
    assertTrue(trainer.path("precision_choice").isMissingNode(), trainer.toString());
  }

  /**
   * Real bf16 kernels where the processor has them: the arithmetic differs from fp32's, the model
   * learns as well. The decision follows the (possibly simulated) processor; the arithmetic check
   * the real one, since a simulation changes no kernel.
   */
  @Test
  void bf16TrainsWhereTheProcessorHasItAndIsRefusedWhereNot() throws Exception {
    Cli.Run bf16 = train("bf16");
    if (!CpuFeatures.current().hasBf16()) {
      bf16.assertOneLineError("--precision bf16 needs a processor with AMX or AVX512_BF16");
      return;
    }
    assertEquals(0, bf16.code(), bf16.err());
    assertTrue(bf16.out().lines().findFirst().orElseThrow().endsWith("seed 42, bf16"), bf16.out());
    Cli.Run fp32 = train("fp32");
    assertEquals(0, fp32.code(), fp32.err());
    JsonNode bf16Results = provenance(tmp.resolve("bf16")).path("results");
    JsonNode fp32Results = provenance(tmp.resolve("fp32")).path("results");
    assertEquals(
        "bf16",
        provenance(tmp.resolve("bf16")).path("trainer").path("recipe").path("precision").asText());
    double bf16Accuracy = bf16Results.path("test_accuracy").asDouble();
    double fp32Accuracy = fp32Results.path("test_accuracy").asDouble();
    // 15 steps of 200 images reach ~0.77 either way (measured 0.7750 bf16, 0.7723 fp32).
    assertEquals(fp32Accuracy, bf16Accuracy, 0.03, "bf16 vs fp32 test accuracy, same seed");
    if (CpuFeatures.detected().hasBf16()) {
      assertNotEquals(
          fp32Results.path("test_loss").asDouble(),
          bf16Results.path("test_loss").asDouble(),
          "the matrix work ran in bf16, so the loss is not fp32's to the last bit");
    }
  }

  private Cli.Run train(String precision) {
    return Cli.run(
        "train",
        "--limit",
        "3000",
        "--epochs",
        "1",
        "--precision",
        precision,
        "--output",
        tmp.resolve(precision).toString());
  }

  private static JsonNode provenance(Path model) throws Exception {
    return Json.MAPPER.readTree(model.resolve("provenance.json").toFile());
  }
}
