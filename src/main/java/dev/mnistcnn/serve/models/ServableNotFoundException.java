package dev.mnistcnn.serve.models;

/**
 * No servable for a request, with TF Serving's message (e.g. {@code Servable not found for request:
 * Latest(mnist)}): REST answers 404, gRPC {@code NOT_FOUND}; except a label the config does not
 * define, which TF Serving answers INVALID_ARGUMENT (REST 400): see {@link #code}.
 */
public final class ServableNotFoundException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;

  public ServableNotFoundException(String message) {
    this(message, "NOT_FOUND");
  }

  private ServableNotFoundException(String message, String code) {
    super(message);
    this.code = code;
  }

  /** The canonical gRPC code name TF Serving gives it: "NOT_FOUND" or "INVALID_ARGUMENT". */
  public String code() {
    return code;
  }

  /** TF Serving's answer to a version label the model's config does not define. */
  public static ServableNotFoundException unknownLabel(String label) {
    return new ServableNotFoundException(
        "Unrecognized servable version label: " + label, "INVALID_ARGUMENT");
  }

  /** TF Serving's message for a spec nothing answers. */
  public static ServableNotFoundException forRequest(ModelSpec spec) {
    return new ServableNotFoundException("Servable not found for request: " + spec.describe());
  }
}
