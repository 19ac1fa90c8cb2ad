package dev.mnistcnn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Random affine distortions of training images, as graph ops: per image a shift of up to {@code
 * shiftPixels} in x and y, a rotation of up to {@code rotationDegrees} and a zoom of up to {@code
 * zoomFraction}, each uniform in its range, about the image centre; composed into one projective
 * transform and applied with {@code ImageProjectiveTransformV3} (bilinear, zero fill), as Keras's
 * {@code RandomTranslation}, {@code RandomRotation} and {@code RandomZoom} do one by one. Training
 * graphs only: exported and serving graphs are built from the weights alone and never carry it.
 *
 * @param shiftPixels largest shift along each axis, in pixels
 * @param rotationDegrees largest rotation either way, in degrees
 * @param zoomFraction largest scale change either way (0.1: 90% to 110%)
 */
public record ImageAugmentation(double shiftPixels, double rotationDegrees, double zoomFraction) {

  /** No augmentation: the trainer adds no ops at all. */
  public static final ImageAugmentation NONE = new ImageAugmentation(0, 0, 0);

  public ImageAugmentation {
    within("shift", shiftPixels, 0, 1000);
    within("rotation", rotationDegrees, 0, 180);
    within("zoom", zoomFraction, 0, 0.9);
  }

  private static void within(String what, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          "augmentation " + what + " must be in [" + min + ", " + max + "], got " + value);
    }
  }

  public boolean isNone() {
    return equals(NONE);
  }

  /** Columns of {@link #sample}'s rows. */
  static final int DX = 0;

  static final int DY = 1;
  static final int ANGLE = 2;
  static final int SCALE = 3;

  /**
   * {@code images} (NHWC, float32) each distorted by its own random draw, from op-level seeds
   * derived from {@code seed} (so a seed gives the same sequence of distortions).
   */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images, long seed) {
    Operand<TInt32> shape = tf.shape(images);
    return warp(tf, images, transforms(tf, sample(tf, dims(tf, shape, 0, 1), seed), shape));
  }

  /**
   * One row per image: x shift and y shift in pixels, angle in radians, scale; each uniform in its
   * range. {@code batch} is a one-element vector, the number of rows.
   */
  Operand<TFloat32> sample(Ops tf, Operand<TInt32> batch, long seed) {
    Operand<TInt32> shape = tf.concat(List.of(batch, tf.constant(new int[] {4})), tf.constant(0));
    // Uniform in [-1, 1), then scaled per column to its range.
    Operand<TFloat32> unit =
        tf.math.sub(
            tf.math.mul(
                tf.random.randomUniform(
                    shape, TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(SEED2)),
                tf.constant(2f)),
            tf.constant(1f));
    float[] range = {
      (float) shiftPixels,
      (float) shiftPixels,
      (float) Math.toRadians(rotationDegrees),
      (float) zoomFraction
    };
    float[] offset = {0, 0, 0, 1};
    return tf.math.add(tf.math.mul(unit, tf.constant(range)), tf.constant(offset));
  }

  /** The random ops' second seed, apart from Dropout's (1): augmentation draws its own stream. */
  private static final long SEED2 = 7;

  /**
   * The 8-parameter projective transforms of {@link #sample}'s rows for images of NHWC shape {@code
   * shape}. Each maps an output pixel (x, y) to the input point it samples: {@code input = scale *
   * R(angle) * (output - centre) + centre - shift}, so content moves by +shift, turns by +angle
   * (clockwise on screen, y pointing down) and shrinks by {@code scale} (> 1: zoom out).
   */
  static Operand<TFloat32> transforms(Ops tf, Operand<TFloat32> parameters, Operand<TInt32> shape) {
    Operand<TFloat32> dims = tf.dtypes.cast(shape, TFloat32.class);
    Operand<TFloat32> cy = centre(tf, dims, 1);
    Operand<TFloat32> cx = centre(tf, dims, 2);
    Operand<TFloat32> dx = column(tf, parameters, DX);
    Operand<TFloat32> dy = column(tf, parameters, DY);
    Operand<TFloat32> angle = column(tf, parameters, ANGLE);
    Operand<TFloat32> scale = column(tf, parameters, SCALE);
    Operand<TFloat32> cos = tf.math.mul(scale, tf.math.cos(angle));
    Operand<TFloat32> sin = tf.math.mul(scale, tf.math.sin(angle));
    Operand<TFloat32> a0 = cos;
    Operand<TFloat32> a1 = tf.math.neg(sin);
    Operand<TFloat32> b0 = sin;
    Operand<TFloat32> b1 = cos;
    // a2 = cx - dx - (a0 cx + a1 cy); b2 = cy - dy - (b0 cx + b1 cy)
    Operand<TFloat32> a2 =
        tf.math.sub(tf.math.sub(cx, dx), tf.math.add(tf.math.mul(a0, cx), tf.math.mul(a1, cy)));
    Operand<TFloat32> b2 =
        tf.math.sub(tf.math.sub(cy, dy), tf.math.add(tf.math.mul(b0, cx), tf.math.mul(b1, cy)));
    Operand<TFloat32> zero = tf.zerosLike(dx);
    return tf.stack(List.of(a0, a1, a2, b0, b1, b2, zero, zero), Stack.axis(1L));
  }

  /** The centre coordinate of NHWC axis {@code axis}: (size - 1) / 2, pixel centres at integers. */
  private static Operand<TFloat32> centre(Ops tf, Operand<TFloat32> dims, int axis) {
    return tf.math.div(
        tf.math.sub(tf.gather(dims, tf.constant(axis), tf.constant(0)), tf.constant(1f)),
        tf.constant(2f));
  }

  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> rows, int index) {
    return tf.gather(rows, tf.constant(index), tf.constant(1));
  }

  /** {@code images} resampled through {@code transforms}: bilinear, zero outside the image. */
  static Operand<TFloat32> warp(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transforms) {
    Operand<TInt32> size = dims(tf, tf.shape(images), 1, 3); // height, width
    return tf.image.imageProjectiveTransformV3(
        images,
        transforms,
        size,
        tf.constant(0f),
        "BILINEAR",
        ImageProjectiveTransformV3.fillMode("CONSTANT"));
  }

  /** Elements {@code from} to {@code to} (exclusive) of the vector {@code shape}. */
  private static Operand<TInt32> dims(Ops tf, Operand<TInt32> shape, int from, int to) {
    return tf.stridedSlice(
        shape,
        tf.constant(new int[] {from}),
        tf.constant(new int[] {to}),
        tf.constant(new int[] {1}));
  }

  /** The settings as recorded in provenance. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shift_pixels", shiftPixels);
    m.put("rotation_degrees", rotationDegrees);
    m.put("zoom_fraction", zoomFraction);
    m.put("interpolation", "bilinear");
    m.put("fill", "constant 0");
    return m;
  }
}
