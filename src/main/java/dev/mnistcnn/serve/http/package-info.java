/**
 * HTTP/1.1 on Netty (NIO transport, pure Java), for the API of {@link dev.mnistcnn.serve}: the
 * connection pipeline, the limits on what a client may hold, the request pool, JSON error answers.
 * It uses nothing of ours.
 *
 * <p>Why Netty: its event loops read requests without blocking, so a slow or idle client holds a
 * timer and a few buffers, never a thread (the JDK's {@code HttpServer} read headers and bodies on
 * its request threads, and four slow sockets stopped it); the request's life is explicit (headers
 * complete, body parts, end), so header and body deadlines and the body limit are a few lines in
 * {@link dev.mnistcnn.serve.http.HttpConnection}; and answers can be written from any thread, so
 * batched predictions complete without a thread waiting per request. Given up: the zero-dependency
 * server; HTTP/2 and TLS are still left to a proxy.
 */
package dev.mnistcnn.serve.http;
