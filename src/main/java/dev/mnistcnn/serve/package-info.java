/**
 * HTTP server speaking TensorFlow Serving's REST API, plus the drawing page.
 *
 * <p>{@link dev.mnistcnn.serve.ServingServer} answers {@code /v1/models/{name}} (status), {@code
 * .../metadata}, {@code ...:predict} (row and columnar JSON, see {@link
 * dev.mnistcnn.serve.TfServingCodec}), {@code ...:classify-image} (raw image bytes, preprocessed
 * MNIST-style), {@code /healthz}, {@code /monitoring/prometheus/metrics} and the static drawing
 * page at {@code /}. One thread-safe {@link dev.mnistcnn.inference.Predictor} serves every request.
 *
 * <p>HTTP layer: Netty (NIO transport, pure Java). Why: its event loops read requests without
 * blocking, so a slow or idle client holds a timer and a few buffers, never a thread (the JDK's
 * {@code HttpServer} read headers and bodies on its request threads, and four slow sockets stopped
 * it); the request's life is explicit (headers complete, body parts, end), so header and body
 * deadlines and the body limit are a few lines in {@link dev.mnistcnn.serve.HttpConnection}; and
 * answers can be written from any thread, so batched predictions complete without a thread waiting
 * per request. Given up: the zero-dependency server; HTTP/2 and TLS are still left to a proxy.
 */
package dev.mnistcnn.serve;
