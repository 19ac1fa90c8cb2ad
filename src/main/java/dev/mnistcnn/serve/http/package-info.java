/**
 * HTTP/1.1 on Netty (NIO transport, pure Java) for the API of {@link dev.mnistcnn.serve}: the
 * connection pipeline, the limits on what a client may hold, the request pool, JSON error answers.
 * It uses nothing of ours.
 *
 * <p>A connection's pipeline, head to tail, Netty's handlers and ours (*): ConnectionLimiter* (the
 * limit, evicting the connection waiting longest), RequestClock*'s first-byte watch, {@code
 * IdleStateHandler} (idle kept-alive connections), {@code HttpRequestDecoder} (as RequestDecoder,
 * refusing a length with a transfer coding), {@code HttpResponseEncoder}, {@code
 * FlowControlHandler} (holds what was read of the next requests while one is answered, autoRead
 * off), RequestFraming* (400, 414, 431, 505), BodyLimits* (size limit, shared BodyBudget, 413 and
 * 503 after reading the body away), RequestClock* (header and body deadlines, one request at a
 * time, eviction), {@code HttpObjectAggregator} (as BodyAggregator: the full request, {@code 100
 * Continue}), {@code HttpServerKeepAliveHandler} (the Connection header, closing after the last
 * answer), Dispatcher* (request gate, request pool or, where the endpoint says a request may run
 * there, the I/O thread; every outcome a JSON answer).
 *
 * <p>Ours where Netty's differ from what the server documents: {@code IdleStateHandler} and {@code
 * ReadTimeoutHandler} time silence, which a byte a second keeps happy, so the whole-request
 * deadlines are RequestClock's own timers. {@code HttpObjectAggregator} answers a body declared too
 * large at once with an empty 413 (a client still sending meets a reset connection), cannot drop a
 * body it has begun (a refused one would hold its memory and budget until read away), and would
 * hold slices of Netty's pooled read buffers; so BodyLimits keeps the body, in one heap buffer, and
 * hands it on whole, and the aggregator is configured to leave those decisions to it. {@code
 * HttpServerExpectContinueHandler} is not needed: the aggregator answers 100-continue. The request
 * pool is an executor the Dispatcher calls, not {@code addLast(EventExecutorGroup, ...)}, which
 * pins each connection to one thread of its group.
 *
 * <p>Why Netty: its event loops read without blocking, so a slow or idle client holds a timer and a
 * few buffers, never a thread (the JDK's {@code HttpServer} read on its request threads, and four
 * slow sockets stopped it); and an answer can be written from any thread, so batched predictions
 * complete without a thread waiting per request. HTTP/2 and TLS are left to a proxy.
 */
package dev.mnistcnn.serve.http;
