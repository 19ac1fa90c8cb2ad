package dev.mnistcnn.serve.grpc;

import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.grpc.proto.DataType;
import dev.mnistcnn.serve.grpc.proto.TensorProto;
import dev.mnistcnn.serve.grpc.proto.TensorShapeProto;
import dev.mnistcnn.serve.models.ImageInput;
import io.grpc.Status;
import io.grpc.StatusException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code TensorProto} of images to the model's input, and probabilities back. An input is float32
 * of shape [n] + one image shape of {@link ImageInput#SHAPES}, its values in {@code tensor_content}
 * (what {@code tf.make_tensor_proto} writes) or {@code float_val}; fewer {@code float_val} values
 * than elements repeat the last one, as TensorFlow reads them.
 */
final class TensorCodec {
  /** Decoded images, {@value Predictor#IMAGE_SIZE} floats each, laid end to end. */
  @SuppressWarnings("ArrayRecordComponent") // decoded images, never compared
  record Images(float[] values, int count) {}

  private final int maxInstances;

  TensorCodec(int maxInstances) {
    this.maxInstances = maxInstances;
  }

  Images decode(String alias, TensorProto tensor) throws StatusException {
    if (tensor.getDtype() != DataType.DT_FLOAT) {
      throw invalid(
          "input '"
              + alias
              + "' has dtype "
              + dtypeName(tensor)
              + "; the signature expects DT_FLOAT (float32)");
    }
    List<Long> shape = dims(tensor.getTensorShape());
    if (tensor.getTensorShape().getUnknownRank()
        || shape.size() < 2
        || !ImageInput.SHAPES.contains(imageShape(shape))) {
      throw invalid(
          "input '"
              + alias
              + "' has shape "
              + shape
              + "; expected [n] + one image as "
              + ImageInput.SHAPES_TEXT);
    }
    long count = shape.get(0);
    if (count < 1 || count > maxInstances) {
      throw invalid(
          "input '"
              + alias
              + "' holds "
              + count
              + " images; 1 to "
              + maxInstances
              + " are accepted in one request");
    }
    float[] images = new float[(int) count * Predictor.IMAGE_SIZE];
    if (!tensor.getTensorContent().isEmpty()) {
      if (tensor.getTensorContent().size() != (long) images.length * Float.BYTES) {
        throw invalid(
            "tensor parsing error: "
                + alias
                + " (tensor_content has "
                + tensor.getTensorContent().size()
                + " bytes for "
                + images.length
                + " float32 values)");
      }
      FloatBuffer content =
          tensor
              .getTensorContent()
              .asReadOnlyByteBuffer()
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer();
      content.get(images);
    } else {
      int given = tensor.getFloatValCount();
      if (given == 0 || given > images.length) {
        throw invalid(
            "tensor parsing error: "
                + alias
                + " (float_val has "
                + given
                + " values for "
                + images.length
                + " elements)");
      }
      for (int i = 0; i < images.length; i++) {
        images[i] = tensor.getFloatVal(Math.min(i, given - 1));
      }
    }
    for (int i = 0; i < images.length; i++) {
      if (!ImageInput.isPixel(images[i])) {
        int image = i / Predictor.IMAGE_SIZE;
        throw invalid(
            ImageInput.notAPixel(
                "input '"
                    + alias
                    + "' image "
                    + image
                    + " at "
                    + (i - image * Predictor.IMAGE_SIZE),
                Float.toString(images[i])));
      }
    }
    return new Images(images, (int) count);
  }

  /** Float32 [count, classes] in {@code float_val}, as TF Serving's Predict answers by default. */
  static TensorProto probabilities(float[] probabilities, int count) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(shape(count, probabilities.length / count));
    for (float p : probabilities) {
      tensor.addFloatVal(p);
    }
    return tensor.build();
  }

  static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return shape.build();
  }

  private static List<Long> dims(TensorShapeProto shape) {
    List<Long> dims = new ArrayList<>(shape.getDimCount());
    for (TensorShapeProto.Dim d : shape.getDimList()) {
      dims.add(d.getSize());
    }
    return dims;
  }

  /** The shape after the batch dimension, or null if a size is beyond an int. */
  private static List<Integer> imageShape(List<Long> shape) {
    List<Integer> image = new ArrayList<>(shape.size() - 1);
    for (long d : shape.subList(1, shape.size())) {
      if (d < 0 || d > Integer.MAX_VALUE) {
        return null;
      }
      image.add((int) d);
    }
    return image;
  }

  private static String dtypeName(TensorProto tensor) {
    DataType dtype = tensor.getDtype();
    return dtype == DataType.UNRECOGNIZED ? "number " + tensor.getDtypeValue() : dtype.name();
  }

  private static StatusException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asException();
  }
}
