package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.support.Python;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy .h5 files written by real h5py from a real Keras .h5 ({@code
 * tools/fixtures/make_test_h5.py}), then altered: links are refused, never followed; sizes and
 * integers are bounded and reported as read. Each gives one line on the command line, no trace.
 */
@Tag(Tier.PYTHON)
class HostileH5Test {
  @TempDir static Path dir;
  private static JsonNode files;

  @BeforeAll
  static void writeFiles() throws Exception {
    files = Python.runJson(Python.keras(), "fixtures/make_test_h5.py", dir);
  }

  private static String refusal(String name) {
    Path file = Path.of(files.get(name).asText());
    IOException e = assertThrows(IOException.class, () -> ModelReader.read(file, null));
    Cli.run("summary", "--model", file.toString()).assertOneLineError(e.getMessage());
    return e.getMessage();
  }

  private static String weight() {
    return files.get("weight").asText();
  }

  @Test
  void softLinkLoopIsRefusedNotFollowed() {
    assertTrue(
        refusal("soft-link-loop.h5")
            .contains("HDF5 link " + weight() + " -> " + weight() + "_loop refused"));
  }

  @Test
  void externalLinkIsNotFollowed() {
    assertTrue(refusal("external-link.h5").contains(" -> /etc/passwd:/ refused"));
  }

  @Test
  void linkToAPathOutsideTheFileIsRefused() {
    assertTrue(refusal("outside-link.h5").contains(" -> /no/such/dataset refused"));
  }

  @Test
  void hugeDenseLayerIsRefusedBeforeAnyAllocation() {
    assertTrue(
        refusal("dense-1000000.h5").endsWith("expected at most 65536. Received: units=1000000"));
  }

  @Test
  void integersBeyond32BitsAreReportedAsRead() {
    assertTrue(
        refusal("units-2^32+10.h5")
            .endsWith(
                "layer 'dense' (Dense): expected an integer 'units' within 32 bits, got"
                    + " 4294967306"));
    assertTrue(refusal("units-2^40.h5").endsWith("got 1099511627776"));
  }

  @Test
  void theUnalteredFileLoads() throws Exception {
    Path seed = Path.of(files.get("seed.h5").asText());
    assertEquals(225_546, ModelReader.read(seed, null).weights().spec().parameterCount());
  }
}
