package dev.mnistcnn.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader, raw and gzip: any bytes parse or give an IOException, nothing else. */
@Tag(Tier.FUZZ)
class IdxReaderFuzzTest {
  @TempDir static Path dir;

  private static final Fuzz READ = Fuzz.of(IdxReaderFuzzTest::read, IOException.class);

  private static void read(byte[] bytes) throws IOException {
    Path file = Files.write(dir.resolve("fuzz.idx"), bytes);
    IdxReader.read(file);
  }

  @FuzzTest(maxDuration = "60s")
  void idxFile(byte[] input) {
    READ.check(input);
  }

  @Test
  void mutatedSeeds() throws IOException {
    READ.checkMutations("idx", getClass(), "idxFile", 3000);
  }
}
