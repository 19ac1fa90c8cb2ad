package dev.mnistcnn.serve;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.mnistcnn.inference.Predictor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link TfServingCodec#decodePredict}: reads the usual predict body, {@code
 * {"instances": [image, ...]}} or {@code {"inputs": [image, ...]}} with images of shape [28, 28,
 * 1], [28, 28] or [784] and values in [0, 1], byte by byte straight into floats.
 *
 * <p>Why not Jackson's token stream, which this class used before: a body is some 2,400 tokens
 * (every pixel its own one-number list), and tokenizing them was the largest cost of a request
 * outside TensorFlow, 17% of the server's CPU at 64 connections (perf, AVX2 Zen 3); this grammar of
 * nested lists of numbers reads the same body 2.5x faster. Jackson stays the general path.
 *
 * <p>It accepts only exactly such bodies, in JSON's own grammar (RFC 8259 numbers and whitespace,
 * plain ASCII keys), and answers null for anything else (another field, an escaped key, a wrong
 * count, a value out of range, bad JSON), so that the tree decoder handles every unusual body and
 * words every error. Each number becomes the float the tree decoder makes of it: the correctly
 * rounded double, narrowed.
 */
final class PredictStreamReader {
  private static final int SIDE = Predictor.IMAGE_SIDE;
  private static final int SIZE = Predictor.IMAGE_SIZE;

  /** Significant digits read into a long: 18 nines still fit, 19 would overflow it. */
  private static final int MAX_DIGITS = 18;

  /**
   * Longer numbers go to the tree decoder, whose Jackson refuses those over its own limit (1,000
   * characters by default): so a body it refuses is never accepted here, and no request parses a
   * megabyte-long number.
   */
  private static final int MAX_NUMBER_LENGTH = 100;

  /** The powers of ten a double holds exactly. */
  private static final double[] EXACT_POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private final byte[] body;
  private int at;

  private PredictStreamReader(byte[] body) {
    this.body = body;
  }

  /** The decoded request, or null when the body is not the plain form this reads. */
  static TfServingCodec.PredictRequest read(byte[] body, int maxInstances) {
    return new PredictStreamReader(body).request(maxInstances);
  }

  private TfServingCodec.PredictRequest request(int maxInstances) {
    if (!take('{')) {
      return null;
    }
    TfServingCodec.Format format;
    if (take("\"instances\"")) {
      format = TfServingCodec.Format.ROW;
    } else if (take("\"inputs\"")) {
      format = TfServingCodec.Format.COLUMNAR;
    } else {
      return null;
    }
    if (!take(':') || !take('[')) {
      return null;
    }
    float[] images = new float[SIZE];
    int count = 0;
    do {
      if (count == maxInstances || !take('[')) {
        return null;
      }
      if (images.length < (count + 1) * SIZE) {
        images = Arrays.copyOf(images, images.length * 2);
      }
      if (!image(images, count * SIZE)) {
        return null;
      }
      count++;
    } while (take(','));
    if (!take(']') || !take('}') || !atEnd()) {
      return null;
    }
    return new TfServingCodec.PredictRequest(
        format,
        count * SIZE == images.length ? images : Arrays.copyOf(images, count * SIZE),
        count);
  }

  /** One image after its opening bracket: [784], [28, 28] or [28, 28, 1], to its closing one. */
  private boolean image(float[] dst, int offset) {
    if (!nextIs('[')) {
      return numbers(dst, offset, SIZE);
    }
    for (int row = 0; row < SIDE; row++) {
      if ((row > 0 && !take(',')) || !take('[') || !row(dst, offset + row * SIDE)) {
        return false;
      }
    }
    return take(']');
  }

  /** A row after its opening bracket: 28 numbers, or 28 one-number lists. */
  private boolean row(float[] dst, int offset) {
    if (!nextIs('[')) {
      return numbers(dst, offset, SIDE);
    }
    for (int col = 0; col < SIDE; col++) {
      if ((col > 0 && !take(',')) || !take('[') || !number(dst, offset + col) || !take(']')) {
        return false;
      }
    }
    return take(']');
  }

  /** {@code n} comma-separated numbers, then the closing bracket. */
  private boolean numbers(float[] dst, int offset, int n) {
    for (int i = 0; i < n; i++) {
      if ((i > 0 && !take(',')) || !number(dst, offset + i)) {
        return false;
      }
    }
    return take(']');
  }

  /**
   * A JSON number, if in [0, 1]. Most are read exactly here: up to 18 significant digits without an
   * exponent make an integer and a scale, and when both are exact doubles one division gives the
   * correctly rounded value (Clinger's fast path, the first step of every correct parser); the rest
   * go to Jackson's parser.
   */
  private boolean number(float[] dst, int index) {
    skipSpace();
    int zero = plainZeroLength();
    if (zero > 0) {
      dst[index] = 0;
      at += zero;
      return true;
    }
    int start = at;
    boolean negative = peek() == '-';
    if (negative) {
      at++;
    }
    long digits = 0; // the significant digits read, as an integer
    int significant = 0;
    int scale = 0; // digits after the point
    boolean exact = true; // digits holds every digit
    if (peek() == '0') {
      at++;
    } else if (isDigit(peek())) {
      for (; isDigit(peek()); at++) {
        if (significant < MAX_DIGITS) {
          digits = digits * 10 + (body[at] - '0');
          significant++;
        } else {
          exact = false;
        }
      }
    } else {
      return false;
    }
    boolean integer = peek() != '.' && peek() != 'e' && peek() != 'E';
    if (peek() == '.') {
      at++;
      if (!isDigit(peek())) {
        return false;
      }
      for (; isDigit(peek()); at++) {
        if (significant < MAX_DIGITS) {
          digits = digits * 10 + (body[at] - '0');
          significant += digits == 0 ? 0 : 1; // leading zeros are not significant
          scale++;
        } else {
          exact = false;
        }
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      exact = false;
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (!isDigit(peek())) {
        return false;
      }
      while (isDigit(peek())) {
        at++;
      }
    }
    if (at - start > MAX_NUMBER_LENGTH) {
      return false;
    }
    double v;
    if (exact && digits < 1L << 53 && scale < EXACT_POWERS_OF_TEN.length) {
      v = digits / EXACT_POWERS_OF_TEN[scale];
      // Jackson reads "-0" as the integer 0, "-0.0" as the double -0.0.
      v = negative && !(integer && digits == 0) ? -v : v;
    } else {
      v =
          NumberInput.parseDouble(
              new String(body, start, at - start, StandardCharsets.US_ASCII), true);
    }
    if (!(v >= 0 && v <= 1)) {
      return false;
    }
    dst[index] = (float) v;
    return true;
  }

  /**
   * 1 or 3 when {@code 0} or {@code 0.0} comes next and then a comma or a closing bracket, else 0:
   * most of an MNIST image's pixels, read without the general path (a third less time a body).
   */
  private int plainZeroLength() {
    if (byteAt(at) != '0') {
      return 0;
    }
    if (endsNumber(byteAt(at + 1))) {
      return 1;
    }
    return byteAt(at + 1) == '.' && byteAt(at + 2) == '0' && endsNumber(byteAt(at + 3)) ? 3 : 0;
  }

  private static boolean endsNumber(int c) {
    return c == ',' || c == ']';
  }

  /** After optional whitespace: {@code c}, consumed. */
  private boolean take(char c) {
    if (peek() == c) { // the usual case, without whitespace
      at++;
      return true;
    }
    skipSpace();
    if (peek() != c) {
      return false;
    }
    at++;
    return true;
  }

  /** After optional whitespace: the ASCII text {@code s}, consumed. */
  private boolean take(String s) {
    skipSpace();
    if (body.length - at < s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (body[at + i] != s.charAt(i)) {
        return false;
      }
    }
    at += s.length();
    return true;
  }

  /** Whether {@code c} comes after optional whitespace (not consumed). */
  private boolean nextIs(char c) {
    skipSpace();
    return peek() == c;
  }

  private boolean atEnd() {
    skipSpace();
    return at == body.length;
  }

  /** The byte at the position, or -1 past the end. */
  private int peek() {
    return byteAt(at);
  }

  private int byteAt(int i) {
    return i < body.length ? body[i] : -1;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** JSON's whitespace: space, tab, line feed, carriage return. */
  private void skipSpace() {
    for (; at < body.length; at++) {
      byte c = body[at];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
    }
  }
}
