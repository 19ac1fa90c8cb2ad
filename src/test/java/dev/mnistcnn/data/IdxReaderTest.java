package dev.mnistcnn.data;

import static dev.mnistcnn.data.IdxFiles.concat;
import static dev.mnistcnn.data.IdxFiles.gzip;
import static dev.mnistcnn.data.IdxFiles.header;
import static dev.mnistcnn.data.IdxFiles.idx;
import static dev.mnistcnn.data.IdxFiles.sequence;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag(Tier.FAST)
class IdxReaderTest {
  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private IdxFormatException failure(String name, byte[] bytes) throws IOException {
    Path file = write(name, bytes);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static void assertMessageContains(Exception e, String text) {
    assertTrue(
        e.getMessage().contains(text), () -> "'" + e.getMessage() + "' lacks '" + text + "'");
  }

  @Test
  void readsRawLabels() throws IOException {
    byte[] labels = {5, 0, 4, 1, 9};
    IdxArray array = IdxReader.read(write("labels", idx(new int[] {5}, labels)));
    assertArrayEquals(new int[] {5}, array.dims());
    assertArrayEquals(labels, array.data());
    assertEquals(5, array.count());
    assertEquals(1, array.itemSize());
  }

  @Test
  void readsRawAndGzipImagesAlike() throws IOException {
    byte[] data = sequence(3 * 4 * 5);
    byte[] bytes = idx(new int[] {3, 4, 5}, data);
    // The names lie on purpose: gzip is recognised by content, not by the ".gz" suffix.
    IdxArray raw = IdxReader.read(write("images.gz", bytes));
    IdxArray gz = IdxReader.read(write("images", gzip(bytes)));
    for (IdxArray array : new IdxArray[] {raw, gz}) {
      assertArrayEquals(new int[] {3, 4, 5}, array.dims());
      assertArrayEquals(data, array.data());
      assertEquals(3, array.count());
      assertEquals(20, array.itemSize());
    }
  }

  @Test
  void digestCoversTheDecompressedBytes() throws IOException {
    byte[] bytes = idx(new int[] {2, 2, 2}, sequence(8));
    MessageDigest digest = Sha256.newDigest();
    IdxReader.read(write("images.gz", gzip(bytes)), digest);
    assertEquals(Sha256.of(bytes), Sha256.hex(digest));
  }

  @Test
  void readsGzipLargerThanTheInitialBuffer() throws IOException {
    byte[] data = sequence(3_000_000);
    IdxArray array = IdxReader.read(write("big.gz", gzip(idx(new int[] {3000, 1000}, data))));
    assertArrayEquals(data, array.data());
  }

  @Test
  void rejectsBadMagic() throws IOException {
    byte[] bytes = idx(new int[] {2}, new byte[2]);
    bytes[1] = 0x01;
    assertMessageContains(failure("bad-magic", bytes), "not an IDX file");
  }

  @Test
  void rejectsTextFile() throws IOException {
    assertMessageContains(
        failure("html", "<html>404</html>".getBytes(StandardCharsets.US_ASCII)), "not an IDX file");
  }

  @Test
  void rejectsEmptyFile() throws IOException {
    assertMessageContains(failure("empty", new byte[0]), "not an IDX file");
  }

  @Test
  void rejectsTypesOtherThanUnsignedByte() throws IOException {
    byte[] bytes = concat(header(0x0d, 2), new byte[8]);
    assertMessageContains(failure("floats", bytes), "data type 0x0d");
  }

  @Test
  void rejectsBadDimensionCounts() throws IOException {
    assertMessageContains(failure("no-dims", header(0x08)), "0 dimensions");
    assertMessageContains(failure("five-dims", header(0x08, 1, 1, 1, 1, 1)), "5 dimensions");
  }

  @Test
  void rejectsZeroAndNegativeDimensions() throws IOException {
    assertMessageContains(failure("zero", header(0x08, 10, 0, 28)), "dimension 2 is 0");
    assertMessageContains(
        failure("negative", header(0x08, -1)), "dimension 1 is " + Integer.toUnsignedString(-1));
  }

  @Test
  void rejectsTruncatedHeader() throws IOException {
    byte[] bytes = Arrays.copyOf(header(0x08, 10, 28, 28), 9);
    assertMessageContains(failure("short-header", bytes), "truncated IDX file");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] bytes = idx(new int[] {10, 28, 28}, new byte[100]);
    assertMessageContains(failure("truncated", bytes), "expected 7840 bytes of data, found 100");
    assertMessageContains(
        failure("truncated.gz", gzip(bytes)), "expected 7840 bytes of data, found 100");
  }

  @Test
  void rejectsTrailingBytes() throws IOException {
    byte[] bytes = idx(new int[] {3}, new byte[5]);
    assertMessageContains(failure("trailing", bytes), "2 unexpected trailing bytes");
    assertMessageContains(failure("trailing.gz", gzip(bytes)), "unexpected bytes after");
  }

  @Test
  void rejectsHugeHeaderWithoutAllocating() throws IOException {
    // 2^31-1 claimed bytes: allocating them would need 2 GB; the file has 16.
    byte[] huge = concat(header(0x08, Integer.MAX_VALUE - 8), new byte[16]);
    assertMessageContains(failure("huge", huge), "expected 2147483639 bytes of data, found 16");
    assertMessageContains(failure("huge.gz", gzip(huge)), "the header claims 2147483639 bytes");
    // A claim within what the compressed size allows is still not allocated up front.
    byte[] noise = new byte[50_000];
    new Random(1).nextBytes(noise);
    byte[] large = concat(header(0x08, 60000, 28, 28), noise);
    assertMessageContains(
        failure("large.gz", gzip(large)), "expected 47040000 bytes of data, found 50000");
  }

  @Test
  void rejectsSizesNoArrayCanHold() throws IOException {
    byte[] bytes = header(0x08, 100_000, 100_000, 100_000);
    assertMessageContains(failure("overflow", bytes), "100000 x 100000 x 100000");
  }

  @Test
  void rejectsTruncatedGzip() throws IOException {
    byte[] gz = gzip(idx(new int[] {100, 28, 28}, sequence(78400)));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    assertMessageContains(failure("cut.gz", cut), "corrupt or truncated gzip file");
  }

  @Test
  void gzipClaimingGigabytesIsRefusedBeforeReading() throws IOException {
    // 2 MB of incompressible bytes after a header claiming 2.1 GB: within what deflate could
    // hold (1100:1), so only the global cap stops the reader from streaming gigabytes.
    byte[] noise = new byte[2 << 20];
    new Random(2).nextBytes(noise);
    byte[] claim = concat(header(0x08, 2_678_571, 28, 28), noise);
    Path file = write("claims-2.1GB.gz", gzip(claim));
    assertTrue(Files.size(file) * 1100 > 2_099_999_664L, "the ratio check alone would pass");
    assertMessageContains(
        failure("claims-2.1GB.gz", gzip(claim)),
        "declares 2099999664 bytes of data, more than the 268435456 this program reads");
  }

  @Test
  void nonRegularFilesAreRefused() throws IOException {
    assertMessageContains(
        assertThrows(IdxFormatException.class, () -> IdxReader.read(Path.of("/dev/zero"))),
        "not a regular file: /dev/zero");
    assertMessageContains(
        assertThrows(IdxFormatException.class, () -> IdxReader.read(dir)), "not a regular file");
  }
}
