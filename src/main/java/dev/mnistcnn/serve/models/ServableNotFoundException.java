package dev.mnistcnn.serve.models;

/**
 * No servable for a request, with TF Serving's message (e.g. {@code Servable not found for request:
 * Latest(mnist)}): REST answers 404, gRPC {@code NOT_FOUND}.
 */
public final class ServableNotFoundException extends Exception {
  private static final long serialVersionUID = 1L;

  public ServableNotFoundException(String message) {
    super(message);
  }

  /** TF Serving's message for a spec nothing answers. */
  public static ServableNotFoundException forRequest(ModelSpec spec) {
    return new ServableNotFoundException("Servable not found for request: " + spec.describe());
  }
}
