package dev.mnistcnn.serve;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
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

/**
 * One connection's requests, one at a time: the headers must arrive within the header timeout of
 * the request's first byte, the body within the body timeout of the headers, and the body within
 * the size limit; a connection with no request begun is closed after the idle timeout. Nothing here
 * blocks: a slow client holds a little memory and a timer, never a thread.
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

  private enum State {
    IDLE,
    HEADERS,
    BODY,
    DISCARDING,
    ANSWERING,
    CLOSED
  }

  private final ClientLimits limits;
  private final int maxBodyBytes;
  private final Dispatcher dispatcher;
  private final ServerMetrics metrics;
  private final ArrayDeque<Object> held = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private ScheduledFuture<?> deadline;
  private HttpRequest head;
  private CompositeByteBuf body;
  private long discarded;

  HttpConnection(
      ClientLimits limits, int maxBodyBytes, Dispatcher dispatcher, ServerMetrics metrics) {
    this.limits = limits;
    this.maxBodyBytes = maxBodyBytes;
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
    arm(limits.idleTimeoutMillis());
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
      if (cause instanceof TooLongHttpLineException) {
        refuse(HttpStatus.URI_TOO_LONG, "request line longer than the server accepts");
      } else if (cause instanceof TooLongHttpHeaderException
          || cause instanceof TooLongFrameException) {
        refuse(HttpStatus.HEADERS_TOO_LARGE, "request headers larger than the server accepts");
      } else {
        refuse(HttpStatus.BAD_REQUEST, "malformed HTTP request");
      }
      return;
    }
    head = request;
    discarded = 0;
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
      body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    } else {
      state = State.DISCARDING;
    }
  }

  private void append(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      refuse(HttpStatus.BAD_REQUEST, "malformed HTTP request body");
      return;
    }
    ByteBuf bytes = content.content();
    if (state == State.BODY && body.readableBytes() + bytes.readableBytes() > maxBodyBytes) {
      releaseBody();
      state = State.DISCARDING;
    }
    if (state == State.DISCARDING) {
      discarded += bytes.readableBytes();
      if (discarded > DISCARD_MAX_BYTES) {
        refuse(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge());
        return;
      }
    } else if (bytes.isReadable()) {
      body.addComponent(true, bytes.retain());
    }
    if (content instanceof LastHttpContent) {
      cancelDeadline();
      if (state == State.DISCARDING) {
        answer(Exchanges.error(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge()), false);
      } else {
        dispatch();
      }
    }
  }

  private void dispatch() {
    byte[] bytes = ByteBufUtil.getBytes(body);
    releaseBody();
    String path;
    try {
      path = new QueryStringDecoder(head.uri()).path();
    } catch (IllegalArgumentException e) {
      answer(Exchanges.error(HttpStatus.BAD_REQUEST, "malformed request URI"), false);
      return;
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
    state = State.IDLE;
    head = null;
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
