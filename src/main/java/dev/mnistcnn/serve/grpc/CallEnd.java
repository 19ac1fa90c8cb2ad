package dev.mnistcnn.serve.grpc;

import dev.mnistcnn.inference.BatchQueueFullException;
import dev.mnistcnn.inference.InferenceTimeoutException;
import dev.mnistcnn.serve.models.RequestMetrics;
import dev.mnistcnn.serve.models.ServableNotFoundException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;

/**
 * How one unary call ends, from any thread: its answer, or a failure as TF Serving's status code;
 * either way one {@link RequestMetrics} record. A call the client has cancelled, or whose deadline
 * has passed, gets no answer (grpc-java has already ended it) but is still recorded.
 */
final class CallEnd<T> {
  private static final System.Logger LOG = System.getLogger(CallEnd.class.getName());

  private final StreamObserver<T> observer;
  private final RequestMetrics metrics;
  private final String api;
  private final String model;
  private final long startNanos = System.nanoTime();
  private final Context context = Context.current();

  CallEnd(StreamObserver<T> observer, RequestMetrics metrics, String api, String model) {
    this.observer = observer;
    this.metrics = metrics;
    this.api = api;
    this.model = model;
    if (observer instanceof ServerCallStreamObserver<T> call) {
      call.setOnCancelHandler(() -> {}); // answering a cancelled call is then a no-op, not a throw
    }
  }

  /** The client's deadline has passed: the call is not worth starting. */
  void checkDeadline() throws StatusException {
    Deadline deadline = context.getDeadline();
    if (deadline != null && deadline.isExpired()) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("the client's deadline has passed")
          .asException();
    }
  }

  void answer(T value) {
    record(Status.Code.OK);
    if (!cancelled()) {
      observer.onNext(value);
      observer.onCompleted();
    }
  }

  void fail(Throwable failure) {
    Status status = statusOf(failure);
    record(status.getCode());
    if (!cancelled()) {
      observer.onError(status.asException());
    }
  }

  private boolean cancelled() {
    return observer instanceof ServerCallStreamObserver<T> call && call.isCancelled();
  }

  private void record(Status.Code code) {
    Deadline deadline = context.getDeadline();
    // An answer past the deadline is one the client no longer takes, whether or not the
    // cancellation has reached this call's context yet.
    Status.Code recorded =
        code != Status.Code.OK
            ? code
            : deadline != null && deadline.isExpired()
                ? Status.Code.DEADLINE_EXCEEDED
                : context.isCancelled() ? Status.Code.CANCELLED : code;
    metrics.record(model, api, "GRPC", recorded.name(), System.nanoTime() - startNanos);
  }

  /** TF Serving's code for a failure; an unexpected one is logged and answered INTERNAL. */
  static Status statusOf(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof StatusException s) {
      return s.getStatus();
    }
    if (cause instanceof ServableNotFoundException e) {
      return Status.fromCode(Status.Code.valueOf(e.code())).withDescription(e.getMessage());
    }
    if (cause instanceof InferenceTimeoutException e) {
      return Status.DEADLINE_EXCEEDED.withDescription(e.getMessage());
    }
    if (cause instanceof BatchQueueFullException e) {
      return Status.UNAVAILABLE.withDescription(e.getMessage());
    }
    if (cause instanceof OutOfMemoryError) {
      return Status.RESOURCE_EXHAUSTED.withDescription("out of memory running the model");
    }
    LOG.log(Level.WARNING, "gRPC call failed", cause);
    return Status.INTERNAL.withDescription("internal error; see the server's log");
  }
}
