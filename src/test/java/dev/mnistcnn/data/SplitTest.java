package dev.mnistcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tier.FAST)
class SplitTest {
  /** Three 2x2 images whose pixels are 0..11 and labels 7, 8, 9. */
  private static Split small() {
    byte[] pixels = new byte[12];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    pixels[11] = (byte) 255;
    return new Split(pixels, new byte[] {7, 8, 9}, 3, 2, 2);
  }

  @Test
  void convertsImagesToFloats() {
    float[] floats = small().imagesAsFloats(1, 2);
    assertEquals(8, floats.length);
    assertEquals(4 / 255f, floats[0]);
    assertEquals(1f, floats[7]);
  }

  @Test
  void copiesShuffledImagesIntoABuffer() {
    float[] dst = new float[10];
    dst[8] = 42f;
    small().copyImagesAsFloats(new int[] {0, 2, 1}, 1, 2, dst);
    assertArrayEquals(
        new float[] {8 / 255f, 9 / 255f, 10 / 255f, 1f}, java.util.Arrays.copyOf(dst, 4));
    assertEquals(4 / 255f, dst[4]);
    assertEquals(42f, dst[8], "only n images are written");
  }

  @Test
  void rejectsSmallBuffersAndBadIndices() {
    Split split = small();
    assertThrows(
        IllegalArgumentException.class,
        () -> split.copyImagesAsFloats(new int[] {0, 1}, 0, 2, new float[7]));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> split.copyImagesAsFloats(new int[] {3}, 0, 1, new float[4]));
    assertThrows(IndexOutOfBoundsException.class, () -> split.imagesAsFloats(2, 2));
  }

  @Test
  void headKeepsTheFirstImages() {
    Split head = small().head(2);
    assertEquals(2, head.count());
    assertEquals(8, head.pixels().length);
    assertEquals(8, head.label(1));
    assertEquals(3, small().head(10).count());
  }

  @Test
  void buildsFromIdx() throws IdxFormatException {
    IdxArray images = new IdxArray(new int[] {2, 1, 3}, new byte[6]);
    IdxArray labels = new IdxArray(new int[] {2}, new byte[] {3, (byte) 9});
    Split split = Split.fromIdx(images, "images", labels, "labels", 10);
    assertEquals(2, split.count());
    assertEquals(1, split.rows());
    assertEquals(3, split.cols());
    assertEquals(9, split.label(1));
  }

  @Test
  void rejectsLabelsOutOfRange() {
    IdxArray images = new IdxArray(new int[] {3, 1, 1}, new byte[3]);
    IdxArray labels = new IdxArray(new int[] {3}, new byte[] {1, 2, (byte) 200});
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class,
            () -> Split.fromIdx(images, "imgs", labels, "/data/lbls", 10));
    assertEquals(
        "bad labels file /data/lbls: label 200 at index 2 is not below 10", e.getMessage());
  }

  @Test
  void rejectsMismatchedCountsAndShapes() {
    IdxArray images = new IdxArray(new int[] {3, 1, 1}, new byte[3]);
    IdxArray labels = new IdxArray(new int[] {2}, new byte[2]);
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class, () -> Split.fromIdx(images, "imgs", labels, "lbls", 10));
    assertEquals("imgs holds 3 images but lbls holds 2 labels", e.getMessage());
    assertThrows(IdxFormatException.class, () -> Split.fromIdx(labels, "imgs", labels, "lbls", 10));
    IdxFormatException flat =
        assertThrows(
            IdxFormatException.class, () -> Split.fromIdx(images, "imgs", images, "lbls", 10));
    assertTrue(flat.getMessage().startsWith("bad labels file lbls"), flat.getMessage());
  }
}
