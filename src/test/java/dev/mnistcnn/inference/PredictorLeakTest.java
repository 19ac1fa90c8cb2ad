package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.DatasetProvenance;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.provenance.TrainerProvenance;
import dev.mnistcnn.saving.savedmodel.SavedModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 single-image predictions in a separate JVM with a small fixed heap and JavaCPP's
 * GC-driven deallocation off, so that resident memory can only grow through native leaks (an
 * unclosed input tensor alone would add ~300 MB).
 */
@Tag(Tier.SLOW)
class PredictorLeakTest {
  private static final int PREDICTIONS = 100_000;
  private static final int EVERY = 10_000;

  /**
   * A leak grows resident memory at every interval (an unclosed 784-float input tensor: ~30 MB per
   * 10,000 calls); the allocator may also grow it once, in one jump, and then hold (seen: +21 MB
   * once in 80,000 calls, flat before and after). So the median growth per interval must stay under
   * 1 MB (~100 bytes a call, ten times finer than one tensor), and the whole growth under 32 MB.
   */
  private static final long ALLOWED_MEDIAN_KB_PER_INTERVAL = 1024;

  private static final long ALLOWED_TOTAL_GROWTH_KB = 32 * 1024;

  @TempDir Path tmp;

  @Test
  void residentMemoryStopsGrowingOverOneHundredThousandPredictions() throws Exception {
    ModelSpec spec = ModelSpec.seedCnn();
    Path model = tmp.resolve("model");
    SavedModels.export(
        spec.initialWeights(5),
        Provenance.create(
            RuntimeVersions.current(),
            "test",
            new DatasetProvenance(null, Map.of()),
            new TrainerProvenance(5L, Map.of()),
            null,
            null,
            KerasModelConfig.toKeras3(spec),
            null),
        model);

    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Xms128m",
                "-XX:+UseSerialGC",
                // JavaCPP would otherwise free unclosed tensors when the GC finds them, which
                // hides leaks that a large heap (rare GCs) turns into real native growth.
                "-Dorg.bytedeco.javacpp.nopointergc=true",
                "-cp",
                System.getProperty("java.class.path"),
                LeakProbe.class.getName(),
                model.toString(),
                String.valueOf(PREDICTIONS),
                String.valueOf(EVERY))
            .redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().put("MNIST_CNN_THREADS", "1");
    Process process = pb.start();
    List<Long> rss = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("rss ")) {
          rss.add(Long.parseLong(line.split(" ", -1)[2]));
        }
      }
    }
    assertEquals(0, process.waitFor(), output.toString());
    assertEquals(PREDICTIONS / EVERY, rss.size(), output.toString());
    // After a warm-up of 20,000 calls, 80,000 more must not keep growing resident memory.
    System.out.println("RSS samples (kB) every " + EVERY + " predictions: " + rss);
    List<Long> steps = new ArrayList<>();
    for (int i = 2; i < rss.size(); i++) {
      steps.add(rss.get(i) - rss.get(i - 1));
    }
    Collections.sort(steps);
    long median = (steps.get((steps.size() - 1) / 2) + steps.get(steps.size() / 2)) / 2;
    assertTrue(
        median < ALLOWED_MEDIAN_KB_PER_INTERVAL,
        "resident memory grew a median " + median + " kB per " + EVERY + " predictions: " + rss);
    long growth = rss.get(rss.size() - 1) - rss.get(1);
    assertTrue(
        growth < ALLOWED_TOTAL_GROWTH_KB,
        "resident memory grew " + growth + " kB over 80,000 predictions: " + rss);
  }
}
