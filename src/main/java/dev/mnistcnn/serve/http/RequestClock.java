package dev.mnistcnn.serve.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a connection's request stands (waiting for its first byte, reading its headers or its body,
 * being answered) and its deadlines: the headers within the header timeout of the request's first
 * byte, the body within the body timeout of the headers, else 408 and the connection is closed.
 * Whole-request deadlines, which Netty's idle and read timeouts are not: a byte a second keeps
 * those happy. A new connection that sends nothing is closed at the header timeout; a kept-alive
 * one with no request begun when {@code IdleStateHandler} reports it idle.
 *
 * <p>Once a request is complete the connection reads nothing more until its answer is written
 * (autoRead off; {@code FlowControlHandler} holds what is already decoded), so a client has at most
 * one request in the server.
 *
 * <p>{@link ConnectionLimiter} may {@link #tryEvict evict} a connection that waits on its client;
 * one whose request is complete is never evicted.
 */
// Netty reports failed writes and closes to exceptionCaught; nothing here waits on their futures.
@SuppressWarnings("FutureReturnValueIgnored")
final class RequestClock extends ChannelDuplexHandler {
  private enum State {
    IDLE,
    HEADERS,
    BODY,
    ANSWERING,
    CLOSED
  }

  /** Whether the connection waits on its client (evictable), is being answered, or was evicted. */
  private static final int WAITING = 0;

  private static final int BUSY = 1;
  private static final int EVICTED = 2;

  private final long headerTimeoutMillis;
  private final long bodyTimeoutMillis;
  private final HttpCounters counters;
  private final AtomicInteger phase = new AtomicInteger(WAITING);

  private ChannelHandlerContext ctx;
  // Written on the event loop; volatile for the limiter, which picks whom to evict from any thread.
  private volatile State state = State.IDLE;
  private volatile long waitingSince = System.nanoTime();
  private boolean keptAlive; // a request was answered: idle from then on is IdleStateHandler's
  private ScheduledFuture<?> deadline;

  RequestClock(long headerTimeoutMillis, long bodyTimeoutMillis, HttpCounters counters) {
    this.headerTimeoutMillis = headerTimeoutMillis;
    this.bodyTimeoutMillis = bodyTimeoutMillis;
    this.counters = counters;
  }

  /** Goes before the HTTP decoder: notes a request's first byte, which starts its header clock. */
  ChannelHandler firstByteWatch() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext watchCtx, Object msg) {
        if (state == State.IDLE) {
          moveTo(State.HEADERS);
          arm(headerTimeoutMillis);
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
    arm(headerTimeoutMillis);
    super.channelActive(context);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    moveTo(State.CLOSED);
    cancelDeadline();
    super.channelInactive(context);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    boolean refused = msg instanceof HttpRequest r && r.decoderResult().isFailure();
    if (msg instanceof HttpRequest && !refused) {
      moveTo(State.BODY);
      arm(bodyTimeoutMillis);
    }
    if (refused || msg instanceof LastHttpContent) {
      complete(msg);
    } else {
      context.fireChannelRead(msg);
    }
  }

  /** The request is complete, or refused: from here its answer is on its way. */
  private void complete(Object msg) {
    cancelDeadline();
    if (!phase.compareAndSet(WAITING, BUSY)) {
      ReferenceCountUtil.release(msg); // evicted a moment ago: the eviction answers and closes
      return;
    }
    moveTo(State.ANSWERING);
    ctx.channel().config().setAutoRead(false);
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
    ChannelPromise written = promise;
    if (msg instanceof HttpResponse r && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      written = promise.unvoid().addListener((ChannelFutureListener) f -> nextRequest());
    }
    context.write(msg, written);
  }

  /**
   * On the event loop, once an answer is out (after HttpServerKeepAliveHandler closed the
   * connection if the answer ends it): the connection waits for its next request.
   */
  private void nextRequest() {
    if (!ctx.channel().isActive()) {
      return;
    }
    moveTo(State.IDLE);
    keptAlive = true;
    waitingSince = System.nanoTime();
    phase.set(WAITING);
    ctx.channel().config().setAutoRead(true); // FlowControlHandler hands on what it holds
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (!(event instanceof IdleStateEvent)) {
      super.userEventTriggered(context, event);
    } else if (state == State.IDLE && keptAlive) {
      context.close();
    }
  }

  /**
   * An exception anywhere in the pipeline: a lack of memory while the request is being read is
   * answered 503; anything else (a reset connection and the like) closes the connection.
   */
  void failed(Throwable cause) {
    if (cause instanceof OutOfMemoryError && state != State.ANSWERING && state != State.CLOSED) {
      counters.outOfMemoryAnswers.increment();
      refuse(
          ApiException.closing(
              HttpStatus.UNAVAILABLE, "the server ran out of memory for this request"));
      return;
    }
    ctx.close();
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
  /** Every change of state, so that the count of requests being read stays true. */
  private void moveTo(State next) {
    boolean wasReading = state == State.HEADERS || state == State.BODY;
    boolean reading = next == State.HEADERS || next == State.BODY;
    state = next;
    if (reading != wasReading) {
      counters.readingRequests.addAndGet(reading ? 1 : -1);
    }
  }

  boolean tryEvict() {
    if (!phase.compareAndSet(WAITING, EVICTED)) {
      return false;
    }
    ctx.executor().execute(this::evicted);
    return true;
  }

  private void evicted() {
    counters.evictedConnections.increment();
    switch (state) {
      case IDLE -> ctx.close();
      case HEADERS, BODY -> {
        cancelDeadline();
        answerAndClose(
            new ApiException(
                HttpStatus.UNAVAILABLE,
                "the server is at its connection limit and this request was the slowest;"
                    + " try again",
                Map.of("Retry-After", "1", "Connection", "close")));
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
    deadline = null;
    switch (state) {
      case IDLE -> ctx.close();
      case HEADERS -> timedOut("request headers not received within " + headerTimeoutMillis);
      case BODY -> timedOut("request body not received within " + bodyTimeoutMillis);
      default -> {}
    }
  }

  private void timedOut(String what) {
    counters.timedOutRequests.increment();
    refuse(ApiException.closing(HttpStatus.REQUEST_TIMEOUT, what + " ms"));
  }

  /** A refusal decided here, while the request is read: sent unless evicted, then closed. */
  private void refuse(ApiException refusal) {
    cancelDeadline();
    if (!phase.compareAndSet(WAITING, BUSY)) {
      ctx.close(); // evicted a moment ago
      return;
    }
    answerAndClose(refusal);
  }

  private void answerAndClose(ApiException refusal) {
    moveTo(State.ANSWERING);
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(refusal.response().toHttp(false)).addListener(ChannelFutureListener.CLOSE);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
