package dev.mnistcnn.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.models.ImageInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * TensorFlow Serving's predict JSON to the model's input tensor and its output back to JSON.
 *
 * <p>Row format: {@code {"instances": [image, ...]}} answered by {@code {"predictions": [[p0..p9],
 * ...]}}; an instance may also be {@code {"<input name>": image}}. Columnar format: {@code
 * {"inputs": [image, ...]}} or {@code {"inputs": {"<input name>": [image, ...]}}} answered by
 * {@code {"outputs": [[p0..p9], ...]}}. An image is nested lists of shape [28, 28, 1] (the
 * signature's shape), [28, 28] or [784], row-major, of numbers in [0, 1] (pixel / 255).
 *
 * <p>Stricter than TensorFlow Serving on values, on purpose: NaN, infinities and numbers outside
 * [0, 1] are refused with 400, because a model trained on [0, 1] gives confident nonsense for
 * 0..255 pixels, the most common client mistake, and NaN would come back as NaN probabilities.
 */
final class TfServingCodec {
  /** The two request layouts and the key each one's answer goes under. */
  enum Format {
    ROW("instances", "predictions"),
    COLUMNAR("inputs", "outputs");

    final String requestKey;
    final String responseKey;

    Format(String requestKey, String responseKey) {
      this.requestKey = requestKey;
      this.responseKey = responseKey;
    }
  }

  /** Decoded images, {@value Predictor#IMAGE_SIZE} floats each, laid end to end. */
  @SuppressWarnings("ArrayRecordComponent") // decoded images, never compared
  record PredictRequest(Format format, float[] images, int count) {}

  private static final List<List<Integer>> IMAGE_SHAPES = ImageInput.SHAPES;
  private static final String SHAPES_TEXT = ImageInput.SHAPES_TEXT;

  private final String inputName;
  private final String signatureKey;
  private final int maxInstances;

  TfServingCodec(String inputName, String signatureKey, int maxInstances) {
    this.inputName = inputName;
    this.signatureKey = signatureKey;
    this.maxInstances = maxInstances;
  }

  PredictRequest decodePredict(byte[] body) throws ApiException {
    PredictRequest plain = PredictStreamReader.read(body, maxInstances);
    return plain != null ? plain : decodeTree(body);
  }

  /** Any body, through a JSON tree: the general path, and the one that words every error. */
  PredictRequest decodeTree(byte[] body) throws ApiException {
    JsonNode root = parse(body);
    checkSignature(root.get("signature_name"));
    boolean row = root.has(Format.ROW.requestKey);
    boolean columnar = root.has(Format.COLUMNAR.requestKey);
    if (row == columnar) {
      throw ApiException.badRequest(
          row
              ? "use either \"instances\" (row format) or \"inputs\" (columnar format), not both"
              : "Missing 'inputs' or 'instances' key");
    }
    Format format = row ? Format.ROW : Format.COLUMNAR;
    JsonNode batch = root.get(format.requestKey);
    if (format == Format.COLUMNAR) {
      batch = unwrapNamedInput(batch, "inputs");
      List<Integer> shape = shapeAlongFirstElements(batch);
      if (IMAGE_SHAPES.contains(shape) && shape.size() > 1) {
        throw ApiException.badRequest(
            "\"inputs\" has shape "
                + shape
                + ", one image without the batch dimension;"
                + " columnar inputs are [n, 28, 28, 1]: wrap it in one more list");
      }
    }
    if (!batch.isArray() || batch.isEmpty()) {
      throw ApiException.badRequest(
          "\"" + format.requestKey + "\" must be a non-empty list of images, one per instance");
    }
    int count = batch.size();
    if (count > maxInstances) {
      throw new ApiException(
          HttpStatus.PAYLOAD_TOO_LARGE,
          count + " instances in one request; at most " + maxInstances + " are accepted");
    }
    float[] images = new float[count * Predictor.IMAGE_SIZE];
    for (int i = 0; i < count; i++) {
      String where = format.requestKey + "[" + i + "]";
      JsonNode image = batch.get(i);
      if (format == Format.ROW && image.isObject()) {
        image = unwrapNamedInput(image, where);
      }
      readImage(image, images, i * Predictor.IMAGE_SIZE, where);
    }
    return new PredictRequest(format, images, count);
  }

  /** {@code {"predictions" or "outputs": [[p0..p9], ...]}}, floats written to round-trip. */
  byte[] encodePredictions(Format format, float[] probabilities, int count) {
    int classes = probabilities.length / count;
    ByteArrayOutputStream out = new ByteArrayOutputStream(count * classes * 14 + 20);
    try (JsonGenerator g = Exchanges.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName(format.responseKey);
      g.writeStartArray();
      for (int i = 0; i < count; i++) {
        g.writeStartArray();
        for (int c = 0; c < classes; c++) {
          g.writeNumber(probabilities[i * classes + c]);
        }
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory", e);
    }
    return out.toByteArray();
  }

  private static JsonNode parse(byte[] body) throws ApiException {
    JsonNode root;
    try {
      root = Exchanges.BODY.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid JSON: " + Exchanges.clip(e.getOriginalMessage()));
    } catch (IOException e) {
      throw ApiException.badRequest("invalid JSON: " + Exchanges.clip(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(
          "the body must be a JSON object with \"instances\" or \"inputs\"");
    }
    return root;
  }

  private void checkSignature(JsonNode name) throws ApiException {
    if (name == null || name.isNull()) {
      return;
    }
    if (!name.isTextual()) {
      throw ApiException.badRequest("signature_name must be a string, got " + abbreviate(name));
    }
    String key = name.asText();
    if (!(key.isEmpty() || key.equals(signatureKey))) {
      // TensorFlow Serving's wording
      throw ApiException.badRequest(
          "Serving signature name: \"" + Exchanges.clip(key) + "\" not found in signature def");
    }
  }

  /** {@code {"<input name>": value}} to value; the model has exactly one input. */
  private JsonNode unwrapNamedInput(JsonNode node, String where) throws ApiException {
    if (!node.isObject()) {
      return node;
    }
    List<String> names = new ArrayList<>();
    node.properties().forEach(f -> names.add(f.getKey()));
    if (names.size() != 1 || !names.get(0).equals(inputName)) {
      throw ApiException.badRequest(
          where
              + " names inputs "
              + Exchanges.clip(names.toString())
              + "; the model has one input, '"
              + inputName
              + "'");
    }
    return node.get(inputName);
  }

  private static void readImage(JsonNode image, float[] dst, int offset, String where)
      throws ApiException {
    List<Integer> shape = shapeAlongFirstElements(image);
    if (!IMAGE_SHAPES.contains(shape)) {
      throw ApiException.badRequest(
          where + " has shape " + shape + "; expected one 28x28 image as " + SHAPES_TEXT);
    }
    int[] next = {offset};
    copyValues(image, shape, 0, dst, next, where);
  }

  /** The shape a regular nested list would have, judged from its first elements. */
  private static List<Integer> shapeAlongFirstElements(JsonNode node) {
    List<Integer> shape = new ArrayList<>();
    for (JsonNode n = node; n.isArray(); n = n.get(0)) {
      shape.add(n.size());
      if (n.isEmpty()) {
        break;
      }
    }
    return shape;
  }

  private static void copyValues(
      JsonNode node, List<Integer> shape, int depth, float[] dst, int[] next, String where)
      throws ApiException {
    if (depth == shape.size()) {
      dst[next[0]++] = pixel(node, where);
      return;
    }
    if (!node.isArray() || node.size() != shape.get(depth)) {
      throw ApiException.badRequest(
          where
              + " is ragged: not every list at depth "
              + depth
              + " has "
              + shape.get(depth)
              + " elements; expected "
              + SHAPES_TEXT);
    }
    for (JsonNode child : node) {
      copyValues(child, shape, depth + 1, dst, next, where);
    }
  }

  private static float pixel(JsonNode value, String where) throws ApiException {
    if (!value.isNumber()) {
      throw ApiException.badRequest(
          where + " holds " + abbreviate(value) + " where a number in [0, 1] belongs");
    }
    double v = value.doubleValue();
    if (!ImageInput.isPixel(v)) {
      throw ApiException.badRequest(ImageInput.notAPixel(where, value.toString()));
    }
    return (float) v;
  }

  private static String abbreviate(JsonNode value) {
    String s = value.toString();
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
