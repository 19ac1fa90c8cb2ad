package dev.mnistcnn.serve.http;

import io.netty.channel.ChannelFuture;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Admits each complete request, runs its endpoint on the request pool (never on an I/O thread), and
 * turns every outcome into an answer: refusals into their 4xx, a lack of memory into 503, anything
 * else into 500 with the trace in the server's log. Nothing ends in an empty reply.
 */
final class Dispatcher {
  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  private final RequestGate gate;
  private final Endpoint endpoint;
  private final Executor work;
  private final HttpCounters metrics;

  Dispatcher(RequestGate gate, Endpoint endpoint, Executor work, HttpCounters metrics) {
    this.gate = gate;
    this.endpoint = endpoint;
    this.work = work;
    this.metrics = metrics;
  }

  /** Answers {@code request} through {@code send}, which writes it to the connection. */
  void dispatch(Request request, Function<Response, ChannelFuture> send) {
    if (!gate.tryEnter()) {
      ChannelFuture unused =
          send.apply(
              Exchanges.error(HttpStatus.UNAVAILABLE, "server is shutting down")
                  .with("Connection", "close"));
      return;
    }
    try {
      work.execute(() -> run(request, send));
    } catch (RejectedExecutionException e) {
      reply(send, Exchanges.error(HttpStatus.UNAVAILABLE, "server is shutting down"));
    }
  }

  private void run(Request request, Function<Response, ChannelFuture> send) {
    CompletionStage<Response> answer;
    try {
      answer = endpoint.handle(request);
    } catch (ApiException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (response, failure) ->
            reply(send, failure == null ? response : answerFor(request, failure)));
  }

  /** Sends, and lets the gate go once the answer is written (or the connection is gone). */
  private void reply(Function<Response, ChannelFuture> send, Response response) {
    try {
      send.apply(response).addListener(written -> gate.exit());
    } catch (RuntimeException e) {
      gate.exit();
      throw e;
    }
  }

  private Response answerFor(Request request, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ApiException refusal) {
      return refusal.response();
    }
    if (cause instanceof OutOfMemoryError) {
      metrics.outOfMemoryAnswers.increment();
      LOG.log(Level.WARNING, "out of memory answering " + describe(request) + "; answered 503");
      return Exchanges.error(
              HttpStatus.UNAVAILABLE,
              "the server ran out of memory for this request; try again later")
          .with("Retry-After", "1");
    }
    LOG.log(Level.ERROR, "request " + describe(request) + " failed", cause);
    return Exchanges.error(HttpStatus.INTERNAL_ERROR, "internal error; see the server log");
  }

  private static String describe(Request request) {
    return Exchanges.clip(request.method() + " " + request.path());
  }
}
