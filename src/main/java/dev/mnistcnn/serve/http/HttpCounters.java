package dev.mnistcnn.serve.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the HTTP layer counts: connections, requests, refusals, timeouts, out-of-memory answers. */
public final class HttpCounters {
  final AtomicInteger openConnections = new AtomicInteger();
  final AtomicInteger readingRequests = new AtomicInteger();
  final LongAdder refusedConnections = new LongAdder();
  final LongAdder evictedConnections = new LongAdder();
  final LongAdder refusedBodies = new LongAdder();
  final LongAdder timedOutRequests = new LongAdder();
  final LongAdder outOfMemoryAnswers = new LongAdder();
  private final RequestGate requests;

  HttpCounters(RequestGate requests) {
    this.requests = requests;
  }

  /** Connections open now. */
  public int openConnections() {
    return openConnections.get();
  }

  /**
   * Connections whose request has begun but not yet fully arrived: slow clients (slowloris) show
   * here first.
   */
  public int readingRequests() {
    return readingRequests.get();
  }

  /** Connections over the limit, answered 503. */
  public long refusedConnections() {
    return refusedConnections.sum();
  }

  /** Connections waiting on their client, closed at the limit to make room for a new one. */
  public long evictedConnections() {
    return evictedConnections.sum();
  }

  /** Request bodies answered 503 because the body memory budget was spent. */
  public long refusedBodies() {
    return refusedBodies.sum();
  }

  /** Requests whose headers or body came too slowly, answered 408. */
  public long timedOutRequests() {
    return timedOutRequests.sum();
  }

  /** Requests answered 503 for lack of memory. */
  public long outOfMemoryAnswers() {
    return outOfMemoryAnswers.sum();
  }

  /** Requests admitted to an endpoint and not answered yet. */
  public int requestsInFlight() {
    return requests.inFlight();
  }

  /** Requests admitted to an endpoint since start. */
  public long requestsAdmitted() {
    return requests.admitted();
  }

  /** The most requests that were ever being handled at the same time. */
  public int peakConcurrentRequests() {
    return requests.peak();
  }
}
