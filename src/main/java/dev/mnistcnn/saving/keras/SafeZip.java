package dev.mnistcnn.saving.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads named entries of an untrusted zip into memory: every entry name is checked (no {@code ..},
 * no absolute paths), only the wanted entries are read, each within its size limit and the total
 * within another, and an entry that inflates far beyond its compressed size is refused as a zip
 * bomb. The sizes the zip declares are never trusted: bytes are counted as they are read.
 */
final class SafeZip {
  /** Ratio of inflated to compressed bytes above which an entry is taken for a zip bomb. */
  static final int MAX_RATIO = 100;

  /** Below this, any ratio is fine: small JSON compresses well. */
  private static final long RATIO_FLOOR = 1 << 20;

  private SafeZip() {}

  /**
   * The wanted entries that are present, name -> bytes.
   *
   * @param limits entry name -> maximum inflated size in bytes
   */
  static Map<String, byte[]> read(Path zip, Map<String, Long> limits, long totalLimit)
      throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    long total = 0;
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
        requireSafeName(zip, e.nextElement().getName());
      }
      for (Map.Entry<String, Long> wanted : limits.entrySet()) {
        ZipEntry entry = file.getEntry(wanted.getKey());
        if (entry == null || entry.isDirectory()) {
          continue;
        }
        long limit = Math.min(wanted.getValue(), totalLimit - total);
        byte[] bytes = readEntry(zip, file, entry, limit);
        total += bytes.length;
        out.put(wanted.getKey(), bytes);
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException(zip + ": not a valid zip archive (" + e.getMessage() + ")", e);
    }
    return out;
  }

  private static void requireSafeName(Path zip, String name) throws IOException {
    String n = name.replace('\\', '/');
    boolean absolute = n.startsWith("/") || n.matches("^[A-Za-z]:.*");
    boolean climbs = ("/" + n + "/").contains("/../");
    if (absolute || climbs) {
      throw new IOException(zip + ": refused unsafe entry name '" + name + "'");
    }
  }

  private static byte[] readEntry(Path zip, ZipFile file, ZipEntry entry, long limit)
      throws IOException {
    long compressed = entry.getCompressedSize();
    long bombLimit =
        compressed < 0
            ? Long.MAX_VALUE
            : Math.max(
                RATIO_FLOOR,
                compressed > Long.MAX_VALUE / MAX_RATIO ? Long.MAX_VALUE : compressed * MAX_RATIO);
    long allowed = Math.min(limit, bombLimit);
    if (entry.getSize() > allowed) {
      throw tooLarge(zip, entry, entry.getSize() + " bytes declared", limit, bombLimit);
    }
    try (InputStream in = file.getInputStream(entry)) {
      byte[] bytes = in.readNBytes((int) Math.min(allowed + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > allowed) {
        throw tooLarge(zip, entry, "over " + allowed + " bytes inflated", limit, bombLimit);
      }
      return bytes;
    }
  }

  private static IOException tooLarge(
      Path zip, ZipEntry entry, String size, long limit, long bombLimit) {
    String why =
        bombLimit < limit
            ? "more than "
                + MAX_RATIO
                + " times its compressed size of "
                + entry.getCompressedSize()
                + " bytes: refused as a zip bomb"
            : "over the limit of " + limit + " bytes";
    return new IOException(zip + ": entry " + entry.getName() + " (" + size + ") is " + why);
  }
}
