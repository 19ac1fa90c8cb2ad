package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mnistcnn.Tier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path decodes the plain predict bodies to exactly the floats of the tree
 * decoder, and hands every other body (and so every error) to the tree decoder.
 */
@Tag(Tier.FAST)
class PredictStreamReaderTest {
  private static final int MAX_INSTANCES = 8;
  private static final int SIZE = 784;
  private static final TfServingCodec CODEC =
      new TfServingCodec("input_layer", "serving_default", MAX_INSTANCES);

  private static final float[] IMAGES = ServeTestSupport.testImages().imagesAsFloats(0, 5);

  @Test
  void plainBodiesDecodeExactlyAsTheTreeDecoderDoes() throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int[] shape : new int[][] {{28, 28, 1}, {28, 28}, {784}}) {
      for (String key : new String[] {"instances", "inputs"}) {
        for (int n : new int[] {1, 5}) {
          ArrayNode batch = ServeTestSupport.JSON.createArrayNode();
          for (int i = 0; i < n; i++) {
            batch.add(imageJson(IMAGES, i, shape));
          }
          bodies.add("{\"" + key + "\": " + batch + "}");
        }
      }
    }
    // Numbers written in every way JSON allows, ends of the range included, and zeros that are
    // not the "0" and "0.0" the reader takes without parsing.
    String row =
        "[0, 1, 1.0, 0.5e0, 5E-1, 0.00392156862745098, 0.0, -0.0, 0e0, 0.00, 0E1, 0.1"
            + ", 0".repeat(772)
            + "]";
    bodies.add("{\"instances\": [" + row + "]}");
    bodies.add(" {\"instances\" :[" + row + "] }\n");
    for (String body : bodies) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      TfServingCodec.PredictRequest fast = PredictStreamReader.read(bytes, MAX_INSTANCES);
      assertNotNull(fast, body.substring(0, 60));
      TfServingCodec.PredictRequest tree = CODEC.decodeTree(bytes);
      assertEquals(tree.format(), fast.format());
      assertEquals(tree.count(), fast.count());
      assertArrayEquals(tree.images(), fast.images());
    }
  }

  @Test
  void numbersWrittenAnyWayBecomeTheFloatsOfTheTreeDecoder() throws Exception {
    // Clinger's fast path here against Jackson's parser there, on numbers in [0, 1] written as
    // Python's json, NumPy's tolist(), printf and hand-written long decimals would write them.
    Random random = new Random(16);
    for (int body = 0; body < 200; body++) {
      StringJoiner row = new StringJoiner(",", "[", "]");
      for (int i = 0; i < SIZE; i++) {
        double d = random.nextDouble();
        row.add(
            switch (random.nextInt(10)) {
              case 0 -> Double.toString(d);
              case 1 -> Float.toString((float) d);
              case 2 -> String.format(Locale.ROOT, "%.6f", d);
              case 3 -> String.format(Locale.ROOT, "%.17f", d);
              case 4 -> String.format(Locale.ROOT, "%.4e", d);
              case 5 -> new BigDecimal(d).toPlainString(); // 50-odd exact digits
              case 6 -> "0.00000000000000000000000" + random.nextInt(1_000_000);
              case 7 -> "0." + "9".repeat(1 + random.nextInt(30));
              case 8 -> List.of("0", "1", "-0", "-0.0", "0.0", "1.0", "1E0", "-0e-5").get(i % 8);
              default -> Integer.toString(random.nextInt(256)) + "e-3";
            });
      }
      String json = "{\"instances\": [" + row + "]}";
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      TfServingCodec.PredictRequest fast = PredictStreamReader.read(bytes, MAX_INSTANCES);
      assertNotNull(fast, json.substring(0, 80));
      assertArrayEquals(CODEC.decodeTree(bytes).images(), fast.images());
    }
  }

  @Test
  void whitespaceIsJsonsOwn() throws Exception {
    String image = imageJson(IMAGES, 0, 28, 28, 1).toString();
    String spaced =
        "\r\n{ \"inputs\"\t:\n[ " + image.replace(",", " ,\t").replace("]", "\n]") + " ] }\n";
    byte[] bytes = spaced.getBytes(StandardCharsets.UTF_8);
    TfServingCodec.PredictRequest fast = PredictStreamReader.read(bytes, MAX_INSTANCES);
    assertNotNull(fast);
    assertArrayEquals(CODEC.decodeTree(bytes).images(), fast.images());
    // Form feed and non-breaking space are not JSON whitespace: the tree decoder words the error.
    assertNull(PredictStreamReader.read(spaced.replace('\t', '\f').getBytes(UTF_8), MAX_INSTANCES));
    assertNull(
        PredictStreamReader.read(spaced.replace("\t", "\u00a0").getBytes(UTF_8), MAX_INSTANCES));
  }

  @Test
  void everythingElseGoesToTheTreeDecoder() {
    String image = imageJson(IMAGES, 0, 28, 28).toString();
    String[] others = {
      "",
      "[]",
      "{}",
      "{\"instances\": []}",
      "{\"instances\": [" + image + "]} trailing",
      "{\"signature_name\": \"serving_default\", \"instances\": [" + image + "]}",
      "{\"instances\": [" + image + "], \"inputs\": [" + image + "]}",
      "{\"instances\": [{\"input_layer\": " + image + "}]}",
      "{\"inputs\": {\"input_layer\": [" + image + "]}}",
      "{\"inputs\": " + image + "}",
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?,", "") + "]}",
      "{\"instances\": [[1, 2, 3]]}",
      "{\"\\u0069nstances\": [" + image + "]}",
      "{\"instances\": [" + image.replaceFirst("\\]$", ",]") + "]}",
      "{\"instances\": [" + image + ",]}",
      "{\"instances\": [" + image + "]}}",
      "\ufeff{\"instances\": [" + image + "]}",
      "{\"instances\": [[[0.5]]]}",
      "{\"instances\": [" + image,
      "{\"instances\": [" + (image + ",").repeat(MAX_INSTANCES) + image + "]}",
    };
    List<String> bodies = new ArrayList<>(List.of(others));
    // The first pixel out of range, not a number, not a number in JSON's grammar, or a long one.
    for (String pixel :
        List.of(
            "255",
            "-0.5",
            "1e999",
            "\"0\"",
            "NaN",
            "0, 0",
            "00",
            "0.",
            ".5",
            "+0",
            "0e",
            "0e+",
            "-",
            "0x1",
            "0." + "0".repeat(99) + "1")) {
      bodies.add("{\"instances\": [" + image.replaceFirst("0(\\.0)?", pixel) + "]}");
    }
    for (String body : bodies) {
      assertNull(
          PredictStreamReader.read(body.getBytes(StandardCharsets.UTF_8), MAX_INSTANCES),
          body.length() > 80 ? body.substring(0, 80) : body);
    }
  }
}
