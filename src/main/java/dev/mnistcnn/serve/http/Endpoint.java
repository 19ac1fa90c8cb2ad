package dev.mnistcnn.serve.http;

import java.util.concurrent.CompletionStage;

/**
 * Answers one kind of request, on a thread of the request pool unless {@link #runsOnIoThread} says
 * otherwise; refusals are thrown as {@link ApiException} and sent as JSON. The answer may complete
 * later, on another thread (a batched prediction).
 */
@FunctionalInterface
public interface Endpoint {
  CompletionStage<Response> handle(Request request) throws ApiException;

  /**
   * Whether {@link #handle} may run on the I/O thread that read {@code request}, skipping the
   * hand-over to the request pool and, when the answer is ready at once, the one back to the I/O
   * thread: only for requests that take a few microseconds of work before their answer is either
   * done or waits elsewhere without holding the thread (the connections that share the I/O thread
   * wait meanwhile). Never throws; false by default.
   */
  default boolean runsOnIoThread(Request request) {
    return false;
  }
}
