package dev.mnistcnn.serve.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes all connections together may hold in memory. The first {@link #FREE_BYTES}
 * of every body are granted without asking (at most that much per open connection, so bounded by
 * the connection limit): a small valid request is never refused for memory that stalled large
 * uploads hold. Beyond that, bodies draw on one shared budget; a body that finds it spent is
 * refused (503) rather than buffered, so the server's memory does not grow with what clients send.
 * The gRPC server draws its messages on the same budget ({@code serve.grpc.MessageBudget}).
 */
public final class BodyBudget {
  /** Granted to every body outside the budget: a predict call with a few images in JSON. */
  public static final int FREE_BYTES = 64 * 1024;

  private final long max;
  private final AtomicLong used = new AtomicLong();

  public BodyBudget(long max) {
    this.max = max;
  }

  /** What a body of {@code capacity} bytes draws on the shared budget. */
  public static long charge(long capacity) {
    return Math.max(0, capacity - FREE_BYTES);
  }

  /** Takes {@code bytes} from the budget, or nothing and false if that would pass it. */
  public boolean tryTake(long bytes) {
    if (bytes <= 0) {
      return true;
    }
    long now;
    do {
      now = used.get();
      if (now + bytes > max) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    return true;
  }

  public void giveBack(long bytes) {
    if (bytes > 0) {
      used.addAndGet(-bytes);
    }
  }

  /** Bytes taken now (for metrics and tests). */
  public long used() {
    return used.get();
  }
}
