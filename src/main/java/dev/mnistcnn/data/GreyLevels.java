package dev.mnistcnn.data;

/**
 * How stored grey levels become model input, in one place for training and prediction alike: an
 * unsigned byte 0..255 becomes a float in [0, 1] (the seed's {@code x / 255}).
 */
public final class GreyLevels {
  private GreyLevels() {}

  /** Writes {@code length} bytes of {@code src} from {@code srcOffset} into {@code dst}, scaled. */
  public static void toUnit(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = (src[srcOffset + i] & 0xff) / 255f;
    }
  }
}
