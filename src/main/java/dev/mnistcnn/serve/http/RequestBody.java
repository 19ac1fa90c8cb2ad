package dev.mnistcnn.serve.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One request's body, copied out of Netty's read buffers into the Java heap as it arrives: the read
 * buffers go back to Netty's pool at once (a retained slice would pin a whole pooled chunk per
 * stalled client, memory the pool then keeps), and the array is handed to the endpoint without
 * another copy. Grows with what arrives, never past the declared length, and charges its capacity
 * to the {@link BodyBudget} until {@link #release}.
 */
final class RequestBody {
  private static final int INITIAL_BYTES = 4096;

  private final BodyBudget budget;
  private ByteBuf bytes;
  private long charged;

  /** {@code maxBytes}: the declared Content-Length, or the body limit for a chunked body. */
  RequestBody(BodyBudget budget, int maxBytes) {
    this.budget = budget;
    this.bytes = Unpooled.buffer(Math.min(INITIAL_BYTES, maxBytes), maxBytes);
  }

  int length() {
    return bytes.readableBytes();
  }

  /**
   * Appends {@code more}, or returns false and appends nothing when the budget cannot cover the
   * room it needs. The caller checks the body limit first: {@code more} fits the maximum.
   */
  boolean append(ByteBuf more) {
    int n = more.readableBytes();
    if (n > bytes.writableBytes()) {
      int capacity =
          bytes.alloc().calculateNewCapacity(bytes.writerIndex() + n, bytes.maxCapacity());
      long extra = BodyBudget.charge(capacity) - charged;
      if (!budget.tryTake(extra)) {
        return false;
      }
      charged += Math.max(0, extra);
      bytes.capacity(capacity);
    }
    bytes.writeBytes(more);
    return true;
  }

  /**
   * The body as one array, once: the array stays charged to the budget until {@link #release}, i.e.
   * until the request has been answered.
   */
  byte[] take() {
    byte[] array = bytes.array();
    if (bytes.arrayOffset() != 0 || array.length != bytes.readableBytes()) {
      array = new byte[bytes.readableBytes()];
      bytes.getBytes(bytes.readerIndex(), array);
    }
    bytes.release();
    bytes = null;
    return array;
  }

  /** Gives the memory back to the budget; idempotent. */
  void release() {
    if (bytes != null) {
      bytes.release();
      bytes = null;
    }
    budget.giveBack(charged);
    charged = 0;
  }
}
