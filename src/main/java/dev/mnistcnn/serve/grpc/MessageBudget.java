package dev.mnistcnn.serve.grpc;

import com.google.protobuf.MessageLite;
import dev.mnistcnn.serve.http.BodyBudget;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * REST's memory budget for requests, for gRPC messages: a message's bytes beyond {@link
 * BodyBudget#FREE_BYTES} are drawn on the same budget as REST bodies and given back when its call
 * ends; a call that finds the budget spent is answered RESOURCE_EXHAUSTED and its message dropped,
 * so the messages held by queued and running calls stay within it.
 *
 * <p>grpc-java hands over a message only once it has read it whole (at most the 4 MB message limit
 * per call), so a refused message was in memory briefly; what the budget bounds is what calls keep
 * while they wait for the model, as REST's does for bodies.
 */
final class MessageBudget implements ServerInterceptor {
  private final BodyBudget budget;

  MessageBudget(BodyBudget budget) {
    this.budget = budget;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    return new Charged<>(next.startCall(call, headers), call);
  }

  /** One call's listener: charges its message, refuses it over budget, gives back at the end. */
  private final class Charged<Q, A>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, A> call;
    private long charged;
    private boolean refused;
    private boolean ended;

    Charged(ServerCall.Listener<Q> delegate, ServerCall<Q, A> call) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      long bytes = message instanceof MessageLite m ? BodyBudget.charge(m.getSerializedSize()) : 0;
      if (!take(bytes)) {
        refused = true;
        call.close(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "the server's memory for requests is taken by others in flight; try again later"),
            new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      giveBack();
      super.onCancel();
    }

    @Override
    public void onComplete() {
      giveBack();
      super.onComplete();
    }

    private synchronized boolean take(long bytes) {
      if (ended || !budget.tryTake(bytes)) {
        return false;
      }
      charged += bytes;
      return true;
    }

    private synchronized void giveBack() {
      ended = true;
      budget.giveBack(charged);
      charged = 0;
    }
  }
}
