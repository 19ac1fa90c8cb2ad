/**
 * TensorFlow Serving's REST API and the drawing page, on the HTTP layer of {@link
 * dev.mnistcnn.serve.http}.
 *
 * <p>{@link dev.mnistcnn.serve.ServingServer} answers {@code /v1/models/{name}} (status), {@code
 * .../metadata}, {@code ...:predict} (row and columnar JSON, see {@link
 * dev.mnistcnn.serve.TfServingCodec}), {@code ...:classify-image} (raw image bytes, preprocessed
 * MNIST-style), {@code /healthz}, {@code /monitoring/prometheus/metrics} and the static drawing
 * page at {@code /}. One thread-safe {@link dev.mnistcnn.inference.Predictor} serves every request.
 */
package dev.mnistcnn.serve;
