package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The relaunched JVM gets the parallel collector unless the user picked a collector anywhere. */
@Tag(Tier.FAST)
class CollectorDefaultTest {
  private static final List<String> PARALLEL = List.of("-XX:+UseParallelGC");

  @Test
  void withoutAChoiceTheChildRunsTheParallelCollector() {
    assertEquals(PARALLEL, TensorFlowLauncher.collectorDefault(List.of("-Xmx512m"), Map.of()));
    assertEquals(
        PARALLEL,
        TensorFlowLauncher.collectorDefault(
            List.of("-XX:+UseStringDeduplication"), Map.of("JAVA_TOOL_OPTIONS", "-Xss2m")));
  }

  @Test
  void theUsersCollectorWinsFromTheCommandLineOrAnOptionVariable() {
    for (String option : List.of("-XX:+UseG1GC", "-XX:+UseZGC", "-XX:+UseSerialGC")) {
      assertEquals(List.of(), TensorFlowLauncher.collectorDefault(List.of(option), Map.of()));
    }
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
      assertEquals(
          List.of(),
          TensorFlowLauncher.collectorDefault(
              List.of(), Map.of(variable, "-Xmx1g -XX:+UseShenandoahGC")),
          variable);
    }
  }
}
