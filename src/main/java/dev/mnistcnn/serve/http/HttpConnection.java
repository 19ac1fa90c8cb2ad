package dev.mnistcnn.serve.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's requests, one at a time: the headers must arrive within the header timeout of
 * the request's first byte, the body within the body timeout of the headers, and the body within
 * the size limit and the shared {@link BodyBudget}; a new connection that sends nothing is closed
 * after the header timeout, a kept-alive one with no request begun after the idle timeout. Nothing
 * here blocks: a slow client holds a little memory and a timer, never a thread.
 *
 * <p>At the connection limit, {@link ConnectionLimiter} may {@link #tryEvict evict} a connection
 * that is waiting on its client; one whose request is being answered is never evicted.
 *
 * <p>While a request is being answered the connection reads nothing more (pipelined requests
 * already decoded are held and taken in order), so a client has at most one request in the server.
 */
// Netty reports failed writes and closes to exceptionCaught; nothing here waits on their futures.
@SuppressWarnings("FutureReturnValueIgnored")
final class HttpConnection extends ChannelInboundHandlerAdapter {
  /**
   * Bodies beyond the limit are read away, up to this much, before the 413 goes out: a client still
   * sending would otherwise meet a reset connection instead of the answer.
   */
  static final long DISCARD_MAX_BYTES = 64L << 20;

  private static final String AMBIGUOUS_LENGTH =
      "Content-Length together with Transfer-Encoding is not accepted (RFC 9112 section 6.1)";

  /** Whether the connection waits on its client (evictable), is being answered, or was evicted. */
  private static final int WAITING = 0;

  private static final int BUSY = 1;
  private static final int EVICTED = 2;

  private enum State {
    IDLE,
    HEADERS,
    BODY,
    DISCARDING,
    ANSWERING,
    CLOSED
  }

  private final HttpServer.Settings limits;
  private final int maxBodyBytes;
  private final BodyBudget budget;
  private final Dispatcher dispatcher;
  private final HttpCounters metrics;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private final AtomicInteger phase = new AtomicInteger(WAITING);

  private ChannelHandlerContext ctx;
  // Written on the event loop; volatile for the limiter, which picks whom to evict from any thread.
  private volatile State state = State.IDLE;
  private volatile long waitingSince = System.nanoTime();
  private ScheduledFuture<?> deadline;
  private HttpRequest head;
  private RequestBody body;
  private Response refusal;
  private long discarded;

  HttpConnection(
      HttpServer.Settings limits,
      int maxBodyBytes,
      BodyBudget budget,
      Dispatcher dispatcher,
      HttpCounters metrics) {
    this.limits = limits;
    this.maxBodyBytes = maxBodyBytes;
    this.budget = budget;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
  }

  /** Goes before the HTTP decoder: notes a request's first byte, which starts its header clock. */
  ChannelHandler firstByteWatch() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext watchCtx, Object msg) {
        if (state == State.IDLE) {
          state = State.HEADERS;
          arm(limits.headerTimeoutMillis());
        }
        watchCtx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    // Not the idle timeout: a connection that never sends a byte must not hold a slot for longer
    // than a slow request may.
    arm(limits.headerTimeoutMillis());
    super.channelActive(context);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    state = State.CLOSED;
    cancelDeadline();
    releaseBody();
    held.forEach(ReferenceCountUtil::release);
    held.clear();
    super.channelInactive(context);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (state == State.CLOSED) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (state == State.ANSWERING || !held.isEmpty()) {
      held.add(msg);
      return;
    }
    try {
      take(msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    if (cause instanceof OutOfMemoryError && state != State.ANSWERING && state != State.CLOSED) {
      metrics.outOfMemoryAnswers.increment();
      refuse(HttpStatus.UNAVAILABLE, "the server ran out of memory for this request");
      return;
    }
    context.close(); // a reset connection and the like: nobody to answer
  }

  private void take(Object msg) {
    if (msg instanceof HttpRequest request) {
      begin(request);
    }
    if (msg instanceof HttpContent content && (state == State.BODY || state == State.DISCARDING)) {
      append(content);
    }
  }

  private void begin(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      Throwable cause = result.cause();
      if (cause instanceof RequestDecoder.AmbiguousLengthException) {
        refuse(HttpStatus.BAD_REQUEST, AMBIGUOUS_LENGTH);
      } else if (cause instanceof TooLongHttpLineException) {
        refuse(HttpStatus.URI_TOO_LONG, "request line longer than the server accepts");
      } else if (cause instanceof TooLongHttpHeaderException
          || cause instanceof TooLongFrameException) {
        refuse(HttpStatus.HEADERS_TOO_LARGE, "request headers larger than the server accepts");
      } else {
        refuse(HttpStatus.BAD_REQUEST, "malformed HTTP request");
      }
      return;
    }
    if (!checkFraming(request)) {
      return;
    }
    head = request;
    discarded = 0;
    refusal = null;
    state = State.BODY;
    arm(limits.bodyTimeoutMillis());
    long declared = HttpUtil.getContentLength(request, -1L);
    boolean fits = declared <= maxBodyBytes;
    if (HttpUtil.is100ContinueExpected(request)) {
      if (!fits) {
        refuse(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge()); // the client has not sent the body
        return;
      }
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    if (fits) {
      body = new RequestBody(budget, declared >= 0 ? (int) declared : maxBodyBytes);
    } else {
      discard(Exchanges.error(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge()));
    }
  }

  /**
   * RFC 9112: HTTP/1.x only (505 otherwise); a length and a transfer coding together (which
   * HTTP/1.0 requests still carry here) or an HTTP/1.1 request without exactly one Host header is
   * 400.
   */
  private boolean checkFraming(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1) {
      refuse(
          HttpStatus.VERSION_NOT_SUPPORTED,
          "HTTP version " + Exchanges.clip(version.text()) + " not supported; use HTTP/1.1");
      return false;
    }
    if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
        && request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      refuse(HttpStatus.BAD_REQUEST, AMBIGUOUS_LENGTH);
      return false;
    }
    if (version.minorVersion() >= 1 && request.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
      refuse(HttpStatus.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header");
      return false;
    }
    return true;
  }

  /** From here the body is read away, not kept; {@code answer} goes out once it has ended. */
  private void discard(Response answer) {
    releaseBody();
    refusal = answer;
    state = State.DISCARDING;
  }

  private void append(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      refuse(HttpStatus.BAD_REQUEST, "malformed HTTP request body");
      return;
    }
    ByteBuf bytes = content.content();
    if (state == State.BODY) {
      if ((long) body.length() + bytes.readableBytes() > maxBodyBytes) {
        discard(Exchanges.error(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge()));
      } else if (!body.append(bytes)) {
        metrics.refusedBodies.increment();
        discard(
            Exchanges.error(
                    HttpStatus.UNAVAILABLE,
                    "the server holds as many request bodies as it has memory for; try again")
                .with("Retry-After", "1"));
      }
    }
    if (state == State.DISCARDING) {
      discarded += bytes.readableBytes();
      if (discarded > DISCARD_MAX_BYTES) {
        answer(refusal, true);
        return;
      }
    }
    if (content instanceof LastHttpContent) {
      cancelDeadline();
      if (state == State.DISCARDING) {
        answer(refusal, false);
      } else {
        dispatch();
      }
    }
  }

  private void dispatch() {
    byte[] bytes = body.take(); // still charged to the budget until answered
    String path;
    try {
      path = new QueryStringDecoder(head.uri()).path();
    } catch (IllegalArgumentException e) {
      answer(Exchanges.error(HttpStatus.BAD_REQUEST, "malformed request URI"), false);
      return;
    }
    if (!phase.compareAndSet(WAITING, BUSY)) {
      return; // evicted a moment ago: the eviction, queued on this loop, answers and closes
    }
    state = State.ANSWERING;
    ctx.channel().config().setAutoRead(false);
    boolean keepAlive = HttpUtil.isKeepAlive(head);
    boolean isHead = HttpMethod.HEAD.equals(head.method());
    Request request = new Request(head.method().name(), path, head.headers(), bytes);
    dispatcher.dispatch(request, response -> write(response, keepAlive, isHead));
  }

  private String tooLarge() {
    return "request body larger than " + maxBodyBytes + " bytes";
  }

  /** A refusal decided here, before any endpoint ran: sent, then the connection is closed. */
  private void refuse(int status, String message) {
    if (status == HttpStatus.REQUEST_TIMEOUT) {
      metrics.timedOutRequests.increment();
    }
    answer(Exchanges.error(status, message), true);
  }

  private void answer(Response response, boolean close) {
    cancelDeadline();
    releaseBody();
    if (!phase.compareAndSet(WAITING, BUSY)) {
      ctx.close(); // evicted a moment ago
      return;
    }
    send(response, close);
  }

  private void send(Response response, boolean close) {
    state = State.ANSWERING;
    ctx.channel().config().setAutoRead(false);
    boolean keepAlive = !close && head != null && HttpUtil.isKeepAlive(head);
    boolean isHead = head != null && HttpMethod.HEAD.equals(head.method());
    write(response, keepAlive, isHead);
  }

  /** Writes the answer (from any thread); then the connection waits for the next request. */
  private ChannelFuture write(Response response, boolean keepAlive, boolean isHead) {
    boolean close = !keepAlive || "close".equals(response.headers().get("Connection"));
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            isHead ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
    for (Map.Entry<String, String> h : response.headers().entrySet()) {
      out.headers().set(h.getKey(), h.getValue());
    }
    out.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
        .set("X-Content-Type-Options", "nosniff")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length)
        .set(
            HttpHeaderNames.CONNECTION,
            close ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
    ChannelFuture written = ctx.writeAndFlush(out);
    written.addListener(
        close ? ChannelFutureListener.CLOSE : (ChannelFutureListener) f -> nextRequest());
    return written;
  }

  /** On the event loop, once an answer is out: read the next request. */
  private void nextRequest() {
    if (state == State.CLOSED || !ctx.channel().isActive()) {
      return;
    }
    releaseBody();
    state = State.IDLE;
    head = null;
    waitingSince = System.nanoTime();
    phase.set(WAITING);
    arm(limits.idleTimeoutMillis());
    while (!held.isEmpty() && state != State.ANSWERING && state != State.CLOSED) {
      Object msg = held.poll();
      if (state == State.IDLE) {
        state = State.HEADERS; // bytes of it were already read
      }
      try {
        take(msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    if (state != State.ANSWERING) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Whether {@link ConnectionLimiter} may evict it now: it waits on its client. */
  boolean evictable() {
    State s = state;
    return phase.get() == WAITING && s != State.ANSWERING && s != State.CLOSED;
  }

  /** Whether no request has begun on it (such connections are evicted first). */
  boolean idle() {
    return state == State.IDLE;
  }

  /** {@link System#nanoTime} when it last began to wait for a request. */
  long waitingSince() {
    return waitingSince;
  }

  /**
   * From any thread: claims the connection for eviction unless it is being answered, then closes it
   * on its own event loop (a request begun gets a 503 first). False if it could not be claimed.
   */
  boolean tryEvict() {
    if (!phase.compareAndSet(WAITING, EVICTED)) {
      return false;
    }
    ctx.executor().execute(this::evicted);
    return true;
  }

  private void evicted() {
    metrics.evictedConnections.increment();
    switch (state) {
      case IDLE -> ctx.close();
      case HEADERS, BODY, DISCARDING -> {
        cancelDeadline();
        releaseBody();
        send(
            Exchanges.error(
                    HttpStatus.UNAVAILABLE,
                    "the server is at its connection limit and this request was the slowest;"
                        + " try again")
                .with("Retry-After", "1"),
            true);
      }
      default -> {}
    }
  }

  /** Replaces the running deadline: when it passes, the state at that moment says what it was. */
  private void arm(long millis) {
    cancelDeadline();
    deadline = ctx.executor().schedule(this::expire, millis, TimeUnit.MILLISECONDS);
  }

  private void expire() {
    switch (state) {
      case IDLE -> ctx.close();
      case HEADERS ->
          refuse(
              HttpStatus.REQUEST_TIMEOUT,
              "request headers not received within " + limits.headerTimeoutMillis() + " ms");
      case BODY, DISCARDING ->
          refuse(
              HttpStatus.REQUEST_TIMEOUT,
              "request body not received within " + limits.bodyTimeoutMillis() + " ms");
      default -> {}
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }
}
