/**
 * TensorFlow Serving's gRPC API: {@code tensorflow.serving.PredictionService} (Predict,
 * GetModelMetadata; Classify refused as the REST API refuses it) and {@code
 * tensorflow.serving.ModelService} (GetModelStatus), on grpc-java's Netty server ({@link
 * dev.mnistcnn.serve.grpc.GrpcServer}). The messages are generated from our own .proto files in
 * src/main/proto (TF Serving's package, message names and field numbers) into {@code
 * dev.mnistcnn.serve.grpc.proto}.
 *
 * <p>Models come from {@link dev.mnistcnn.serve.models.ServedModels}; each call holds a lease on
 * its version until answered and runs through the lease's inference, batched with REST calls when
 * batching is on. Errors carry TF Serving's status codes and, where it has one, its wording.
 */
package dev.mnistcnn.serve.grpc;
