package dev.mnistcnn.serve.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The last handler: admits each complete request through the {@link RequestGate}, runs its endpoint
 * on the request pool (on the I/O thread only where the endpoint says it may: {@link
 * Endpoint#runsOnIoThread}), and turns every outcome into an answer: refusals, those of the
 * handlers before it (the request's decoder result) and the endpoint's, into their status, a lack
 * of memory into 503, anything else into 500 with the trace in the server's log. Nothing ends in an
 * empty reply.
 *
 * <p>The pool is an executor called here rather than {@code pipeline.addLast(EventExecutorGroup,
 * handler)}: such a group pins each connection to one of its threads, so a long request would hold
 * up the connections pinned with it while other threads idle; the pool takes the next request on
 * whichever thread is free, and an answer may come from any thread (a batched prediction).
 */
@Sharable
// Netty reports failed writes to exceptionCaught; nothing here waits on their futures.
@SuppressWarnings("FutureReturnValueIgnored")
final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  /** Writes the one answer to a request (from any thread). */
  @FunctionalInterface
  private interface Sender {
    ChannelFuture send(Response response);
  }

  private final RequestGate gate;
  private final Endpoint endpoint;
  private final Executor work;
  private final HttpCounters counters;

  Dispatcher(RequestGate gate, Endpoint endpoint, Executor work, HttpCounters counters) {
    super(false); // released once its answer exists: the endpoint reads the body out of it
    this.gate = gate;
    this.endpoint = endpoint;
    this.work = work;
    this.counters = counters;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest full) {
    boolean head = HttpMethod.HEAD.equals(full.method());
    Sender sender =
        response -> {
          full.release();
          return ctx.writeAndFlush(response.toHttp(head));
        };
    Throwable refused = full.decoderResult().cause();
    if (refused != null) {
      sender.send(
          refused instanceof ApiException refusal
              ? refusal.response()
              : ApiException.closing(HttpStatus.BAD_REQUEST, "malformed HTTP request").response());
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(full.uri()).path();
    } catch (IllegalArgumentException e) {
      sender.send(Exchanges.error(HttpStatus.BAD_REQUEST, "malformed request URI"));
      return;
    }
    String method = full.method().name();
    // BodyLimits' heap buffer: its array as it is when it holds just the body (a declared length).
    ByteBuf content = full.content();
    byte[] body;
    try {
      body = ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false);
    } catch (OutOfMemoryError e) {
      sender.send(answerFor(method, path, e));
      return;
    }
    Request request = new Request(method, path, full.headers(), body);
    if (!gate.tryEnter()) {
      sender.send(
          Exchanges.error(HttpStatus.UNAVAILABLE, "server is shutting down")
              .with("Connection", "close"));
      return;
    }
    if (runsOnIoThread(request)) {
      run(request, sender);
      return;
    }
    try {
      work.execute(() -> run(request, sender));
    } catch (RejectedExecutionException e) {
      reply(sender, Exchanges.error(HttpStatus.UNAVAILABLE, "server is shutting down"));
    }
  }

  private boolean runsOnIoThread(Request request) {
    try {
      return endpoint.runsOnIoThread(request);
    } catch (RuntimeException e) { // a broken promise: the request pool is always safe
      LOG.log(Level.WARNING, "runsOnIoThread failed for " + request.path(), e);
      return false;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.pipeline().get(RequestClock.class).failed(cause);
  }

  private void run(Request request, Sender sender) {
    CompletionStage<Response> answer;
    try {
      answer = endpoint.handle(request);
    } catch (ApiException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (response, failure) ->
            reply(
                sender,
                failure == null ? response : answerFor(request.method(), request.path(), failure)));
  }

  /** Sends, and lets the gate go once the answer is written (or the connection is gone). */
  private void reply(Sender sender, Response response) {
    try {
      sender.send(response).addListener(written -> gate.exit());
    } catch (RuntimeException e) {
      gate.exit();
      throw e;
    }
  }

  private Response answerFor(String method, String path, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ApiException refusal) {
      return refusal.response();
    }
    if (cause instanceof OutOfMemoryError) {
      counters.outOfMemoryAnswers.increment();
      LOG.log(
          Level.WARNING, "out of memory answering " + describe(method, path) + "; answered 503");
      return Exchanges.error(
              HttpStatus.UNAVAILABLE,
              "the server ran out of memory for this request; try again later")
          .with("Retry-After", "1");
    }
    LOG.log(Level.ERROR, "request " + describe(method, path) + " failed", cause);
    return Exchanges.error(HttpStatus.INTERNAL_ERROR, "internal error; see the server log");
  }

  private static String describe(String method, String path) {
    return Exchanges.clip(method + " " + path);
  }
}
