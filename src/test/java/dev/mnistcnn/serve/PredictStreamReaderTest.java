package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mnistcnn.Tier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path decodes the plain predict bodies to exactly the floats of the tree
 * decoder, and hands every other body (and so every error) to the tree decoder.
 */
@Tag(Tier.FAST)
class PredictStreamReaderTest {
  private static final int MAX_INSTANCES = 8;
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
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?", "255") + "]}",
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?", "-0.5") + "]}",
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?", "1e999") + "]}",
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?", "\"0\"") + "]}",
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?", "NaN") + "]}",
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?,", "") + "]}",
      "{\"instances\": [" + image.replaceFirst("0(\\.0)?", "0, 0") + "]}",
      "{\"instances\": [[1, 2, 3]]}",
      "{\"instances\": [[[0.5]]]}",
      "{\"instances\": [" + image,
      "{\"instances\": [" + (image + ",").repeat(MAX_INSTANCES) + image + "]}",
    };
    for (String body : others) {
      assertNull(
          PredictStreamReader.read(body.getBytes(StandardCharsets.UTF_8), MAX_INSTANCES),
          body.length() > 80 ? body.substring(0, 80) : body);
    }
  }
}
