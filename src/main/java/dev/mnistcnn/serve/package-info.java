/**
 * HTTP server speaking TensorFlow Serving's REST API, plus the drawing page.
 *
 * <p>{@link dev.mnistcnn.serve.ServingServer} answers {@code /v1/models/{name}} (status),
 * {@code .../metadata}, {@code ...:predict} (row and columnar JSON, see {@link
 * dev.mnistcnn.serve.TfServingCodec}), {@code ...:classify-image} (raw image bytes, preprocessed
 * MNIST-style), {@code /healthz} and the static drawing page at {@code /}. One thread-safe {@link
 * dev.mnistcnn.inference.Predictor} serves every request thread.
 *
 * <p>HTTP layer: the JDK's built-in {@code com.sun.net.httpserver.HttpServer} on a fixed pool of
 * request threads. Why: no dependency to ship or keep patched, HTTP/1.1 keep-alive is enough for
 * JSON requests of a few kilobytes, and the time of a request goes to the model (about a
 * millisecond of convolution per image), not to the HTTP layer; the pool bounds how many
 * inferences run at once. What we give up: HTTP/2, TLS termination (put a reverse proxy in front)
 * and non-blocking I/O, none of which this workload needs.
 */
package dev.mnistcnn.serve;
