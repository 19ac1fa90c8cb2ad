package dev.mnistcnn.serve.grpc;

import com.google.protobuf.Int64Value;
import dev.mnistcnn.serve.grpc.proto.ModelSpec;
import io.grpc.Status;
import io.grpc.StatusException;

/** TF Serving's {@code ModelSpec} message to our request spec, and the spec of an answer. */
final class Specs {
  private Specs() {}

  /**
   * The version a request asks for.
   *
   * @throws StatusException INVALID_ARGUMENT without a spec or a name, as TF Serving's "Missing
   *     ModelSpec"
   */
  static dev.mnistcnn.serve.models.ModelSpec requested(boolean given, ModelSpec spec)
      throws StatusException {
    if (!given) {
      throw Status.INVALID_ARGUMENT.withDescription("Missing ModelSpec").asException();
    }
    if (spec.getName().isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Missing model name in ModelSpec")
          .asException();
    }
    return switch (spec.getVersionChoiceCase()) {
      case VERSION ->
          new dev.mnistcnn.serve.models.ModelSpec(
              spec.getName(), spec.getVersion().getValue(), null);
      case VERSION_LABEL ->
          new dev.mnistcnn.serve.models.ModelSpec(spec.getName(), null, spec.getVersionLabel());
      case VERSIONCHOICE_NOT_SET -> dev.mnistcnn.serve.models.ModelSpec.latest(spec.getName());
    };
  }

  /** What answered, as TF Serving's MakeModelSpec writes it; {@code signature} may be null. */
  static ModelSpec answered(String name, long version, String signature) {
    ModelSpec.Builder spec =
        ModelSpec.newBuilder().setName(name).setVersion(Int64Value.of(version));
    if (signature != null) {
      spec.setSignatureName(signature);
    }
    return spec.build();
  }
}
