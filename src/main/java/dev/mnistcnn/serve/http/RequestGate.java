package dev.mnistcnn.serve.http;

/**
 * Counts requests in flight so that shutdown can let them finish: once closed it admits no new
 * request, and {@link #awaitIdle} returns when the last admitted one is done.
 */
final class RequestGate {
  private boolean open = true;
  private int inFlight;
  private int peak;
  private long admitted;

  /** Admits a request unless the gate is closed; pair a true answer with {@link #exit}. */
  synchronized boolean tryEnter() {
    if (!open) {
      return false;
    }
    inFlight++;
    admitted++;
    peak = Math.max(peak, inFlight);
    return true;
  }

  synchronized void exit() {
    inFlight--;
    if (inFlight == 0) {
      notifyAll();
    }
  }

  synchronized void close() {
    open = false;
  }

  /** Waits until no admitted request is running; false if {@code timeoutMillis} ran out first. */
  synchronized boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (inFlight > 0) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** How many admitted requests are not done yet. */
  synchronized int inFlight() {
    return inFlight;
  }

  /** How many requests were admitted since start. */
  synchronized long admitted() {
    return admitted;
  }

  /** The most requests that were ever being handled at the same time. */
  synchronized int peak() {
    return peak;
  }
}
