package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.SessionConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher puts in the child's environment: oneDNN's frozen weights only for the commands
 * that never change a variable, never for training (its validation would read stale weights), a
 * user's own setting kept; and answers with them agree with answers without.
 */
@Tag(Tier.FAST)
class LauncherVariablesTest {
  private static final String FROZEN = SessionConfigs.FROZEN_WEIGHTS_VARIABLE;

  @TempDir Path tmp;

  private static Map<String, String> childVariables(Map<String, String> user, String... args) {
    Map<String, String> env = new HashMap<>(user);
    TensorFlowLauncher.setTensorFlowVariables(env, args);
    return env;
  }

  @Test
  void frozenWeightsOnlyForTheCommandsThatOnlyInfer() {
    for (String command : new String[] {"serve", "model-server", "predict", "evaluate", "report"}) {
      assertEquals("1", childVariables(Map.of(), command, "--model", "m").get(FROZEN), command);
    }
    for (String[] args :
        new String[][] {
          {"train"},
          {"train", "--from", "m"},
          {"profile"},
          {"convert"},
          {"summary"},
          {},
          {"predict2"}
        }) {
      assertFalse(childVariables(Map.of(), args).containsKey(FROZEN), String.join(" ", args));
    }
    assertEquals("0", childVariables(Map.of(FROZEN, "0"), "serve").get(FROZEN));
  }

  @Test
  void theOtherVariablesAsBefore() {
    Map<String, String> env = childVariables(Map.of(), "train", "--deterministic");
    assertEquals("2", env.get(TensorFlowLauncher.VARIABLE));
    assertEquals("1", env.get(SessionConfigs.ONEDNN_VARIABLE));
    assertEquals("1", env.get(SessionConfigs.PER_SESSION_POOLS_VARIABLE));
    assertEquals("1", env.get(SessionConfigs.DETERMINISM_VARIABLE));
    assertFalse(childVariables(Map.of(), "train").containsKey(SessionConfigs.DETERMINISM_VARIABLE));
    assertEquals(
        "0",
        childVariables(Map.of(SessionConfigs.ONEDNN_VARIABLE, "0"), "serve")
            .get(SessionConfigs.ONEDNN_VARIABLE));
  }

  /**
   * {@code predict} as a user runs it (relaunched, frozen weights on) against one JVM with them
   * off: the same digits, probabilities equal to 1e-6 (1.7e-7 measured: oneDNN's kernels for
   * constant weights sum in another order), one image and a batch.
   */
  @Test
  @Tag(Tier.SLOW)
  void predictionsWithFrozenWeightsAgreeWithoutThem() throws Exception {
    Path images = TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte");
    for (String limit : new String[] {"1", "64"}) {
      String[] args = {
        "predict",
        "--model",
        TestData.shippedModel().toString(),
        "--idx",
        images.toString(),
        "--limit",
        limit,
        "--json"
      };
      ProcessBuilder off = Jvm.program(false, args);
      off.environment().put(FROZEN, "0");
      off.environment().put(SessionConfigs.PER_SESSION_POOLS_VARIABLE, "1");
      ProcessBuilder on = Jvm.program(true, args);
      on.environment().remove(FROZEN);
      JsonNode without = run(off, "off-" + limit);
      JsonNode with = run(on, "on-" + limit);
      assertEquals(Integer.parseInt(limit), with.size());
      assertEquals(without.size(), with.size());
      for (int i = 0; i < with.size(); i++) {
        assertEquals(without.get(i).get("digit"), with.get(i).get("digit"), "image " + i);
        JsonNode p = with.get(i).get("probabilities");
        JsonNode q = without.get(i).get("probabilities");
        for (int c = 0; c < 10; c++) {
          assertEquals(
              q.get(c).asDouble(), p.get(c).asDouble(), 1e-6, "image " + i + " class " + c);
        }
      }
    }
  }

  private JsonNode run(ProcessBuilder pb, String name) throws Exception {
    Path out = tmp.resolve(name + ".json");
    Path err = tmp.resolve(name + ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), name);
      assertEquals(0, p.exitValue(), Files.readString(err));
    } finally {
      Jvm.killTree(p);
    }
    return Json.MAPPER.readTree(Files.readString(out));
  }
}
