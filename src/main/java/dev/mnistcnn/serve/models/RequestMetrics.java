package dev.mnistcnn.serve.models;

/**
 * Where REST and gRPC report each model request, for TF Serving's {@code
 * :tensorflow:serving:request_count} and {@code :tensorflow:serving:request_latency}.
 */
@FunctionalInterface
public interface RequestMetrics {
  /**
   * Counts one answered request.
   *
   * @param model the model name asked for
   * @param api TF Serving's API name: "Predict", "GetModelMetadata", "GetModelStatus", "Classify"
   * @param entrypoint "REST" or "GRPC"
   * @param status "OK" or a canonical gRPC code name ("NOT_FOUND", "INVALID_ARGUMENT", ...)
   * @param nanos time from the request's arrival to its answer
   */
  void record(String model, String api, String entrypoint, String status, long nanos);

  RequestMetrics NONE = (model, api, entrypoint, status, nanos) -> {};
}
