package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Png;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real, decodable PNGs: the pixel limit is applied from the header, before decoding. */
@Tag(Tier.FAST)
class ImageLimitsTest {
  @Test
  void a16BitPngOf40MegapixelsIsRefusedBeforeDecoding() throws IOException {
    byte[] png = Png.blank(6300, 6300, 16, Png.Colour.GREY);
    assertTrue(png.length < 400_000, "a small file: " + png.length + " bytes");
    ImageTooLargeException e =
        assertThrows(ImageTooLargeException.class, () -> DigitPreprocessor.fromImageBytes(png));
    assertEquals(
        "image too large: 6300x6300 pixels (at most 10000 pixels a side and 16 megapixels)",
        e.getMessage());
  }

  @Test
  void aTwelveMegapixelPhotoSizeIsStillDecoded() throws IOException {
    byte[] png = Png.blank(4000, 3000, 8, Png.Colour.GREY);
    // Decoded in full: the blank picture then holds no digit, which is a different refusal.
    assertThrows(NoDigitFoundException.class, () -> DigitPreprocessor.fromImageBytes(png));
  }
}
