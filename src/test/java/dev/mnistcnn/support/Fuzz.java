package dev.mnistcnn.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mnistcnn.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The contract every parser is fuzzed against: any input either parses or is refused with one of
 * the expected (checked, user-facing) exceptions; anything else, an {@link Error} above all
 * (OutOfMemoryError, StackOverflowError), is a finding.
 *
 * <p>Jazzer's {@code @FuzzTest} only replays its seed directory in a plain {@code mvn test}; {@link
 * #checkMutations} adds a bounded, deterministic set of mutated seeds so that CI exercises more
 * than the seeds. Longer coverage-guided runs: {@code tools/fuzz/fuzz.sh}.
 */
public final class Fuzz {
  private static final int[] INTERESTING_INTS = {
    0,
    1,
    -1,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    1 << 24,
    1 << 30,
    65_536,
    1_000_000
  };

  /** One parser call on untrusted bytes. */
  @FunctionalInterface
  public interface Target {
    void run(byte[] input) throws Exception;
  }

  private final Target target;
  private final List<Class<? extends Exception>> refusals;

  private Fuzz(Target target, List<Class<? extends Exception>> refusals) {
    this.target = target;
    this.refusals = refusals;
  }

  /** {@code target}, whose only allowed failures are the {@code refusals}. */
  @SafeVarargs
  public static Fuzz of(Target target, Class<? extends Exception>... refusals) {
    List<Class<? extends Exception>> allowed = new ArrayList<>();
    for (Class<? extends Exception> c : refusals) {
      allowed.add(c);
    }
    return new Fuzz(target, List.copyOf(allowed));
  }

  /**
   * Runs the target on {@code input}, letting only the refusals pass (a {@code @FuzzTest} body).
   */
  public void check(byte[] input) {
    try {
      target.run(input);
    } catch (Throwable t) {
      for (Class<? extends Exception> c : refusals) {
        if (c.isInstance(t)) {
          return;
        }
      }
      throw new AssertionError(
          "unexpected "
              + t.getClass().getName()
              + " for a "
              + input.length
              + "-byte input: "
              + t.getMessage(),
          t);
    }
  }

  /**
   * Checks {@code count} mutations of the seeds Jazzer replays for {@code testClass#method} (fixed
   * random seed from {@code name}: the same inputs every run); a failing input is saved under
   * {@code target/fuzz-findings/} to become a seed.
   */
  public void checkMutations(String name, Class<?> testClass, String method, int count)
      throws IOException {
    List<byte[]> seeds = seeds(testClass, method);
    Random random = new Random(name.hashCode());
    for (int i = 0; i < count; i++) {
      byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
      try {
        check(input);
      } catch (AssertionError e) {
        Path finding =
            TestData.projectDir().resolve("target/fuzz-findings").resolve(name + "-" + i + ".bin");
        Files.createDirectories(finding.getParent());
        Files.write(finding, input);
        fail("mutation " + i + " (saved to " + finding + "): " + e.getMessage(), e);
      }
    }
  }

  /** The seed corpus Jazzer replays for {@code testClass#method}, from the source tree. */
  private static List<byte[]> seeds(Class<?> testClass, String method) throws IOException {
    Path dir =
        TestData.projectDir()
            .resolve("src/test/resources")
            .resolve(testClass.getPackageName().replace('.', '/'))
            .resolve(testClass.getSimpleName() + "Inputs")
            .resolve(method);
    try (Stream<Path> files = Files.list(dir)) {
      List<byte[]> seeds = files.sorted().map(Fuzz::readSeed).toList();
      assertTrue(!seeds.isEmpty(), "no seeds in " + dir);
      return seeds;
    }
  }

  private static byte[] readSeed(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One to four byte-level mutations of the kinds libFuzzer uses. */
  static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    int steps = 1 + random.nextInt(4);
    for (int s = 0; s < steps; s++) {
      if (b.length == 0) {
        b = new byte[] {(byte) random.nextInt()};
        continue;
      }
      int at = random.nextInt(b.length);
      switch (random.nextInt(7)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
        case 2 -> {
          int v = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
          for (int k = 0; k < 4 && at + k < b.length; k++) {
            // Big-endian, as IDX, HDF5 sizes (little-endian is covered by the single bytes).
            b[at + k] = (byte) (v >>> (24 - 8 * k));
          }
        }
        case 3 -> b = Arrays.copyOf(b, at); // truncation
        case 4 -> { // insert random bytes
          byte[] chunk = new byte[1 + random.nextInt(16)];
          random.nextBytes(chunk);
          b = splice(b, at, chunk, 0);
        }
        case 5 -> { // duplicate a slice
          int len = 1 + random.nextInt(Math.min(64, b.length - at));
          b = splice(b, at, Arrays.copyOfRange(b, at, at + len), 0);
        }
        default -> { // delete a slice
          int len = 1 + random.nextInt(Math.min(64, b.length - at));
          b = splice(b, at, new byte[0], len);
        }
      }
    }
    return b;
  }

  private static byte[] splice(byte[] b, int at, byte[] insert, int remove) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }
}
