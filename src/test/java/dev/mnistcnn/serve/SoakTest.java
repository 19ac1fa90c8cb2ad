package dev.mnistcnn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak run, short: 64 clients for 16 s (8 s warm-up) against the real {@code serve} (batching
 * on) with good, bad and slow clients. {@code tools/bench/soak.sh} runs the long version.
 */
@Tag(Tier.SLOW)
class SoakTest {
  @Test
  void goodClientsAreAllAnsweredNothingIs5xxAndMemoryStaysFlat() throws Exception {
    try (ServeProcess server =
        ServeProcess.start(Soak.jvmOptions(), List.of("--enable-batching"))) {
      // Half of it warm-up: in the first seconds the JIT and Netty's buffer pools still grow.
      Soak.Result result = Soak.run(server, 64, Duration.ofSeconds(16), Duration.ofSeconds(8));
      System.out.print(result.report());
      assertEquals(0, result.goodFailures(), result.report());
      assertEquals(0, result.serverErrors(), result.report());
      assertTrue(result.goodAnswers() > 100, result.report());
      assertTrue(result.answers().getOrDefault("BAD_BODY 400", 0L) > 0, result.report());
      assertTrue(result.answers().getOrDefault("BAD_IMAGE 413", 0L) > 0, result.report());
      assertTrue(result.memoryFlat(), result.report());
    }
  }
}
