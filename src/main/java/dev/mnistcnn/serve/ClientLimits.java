package dev.mnistcnn.serve;

/**
 * What one client may hold: how long it may take to send a request, how many connections all
 * clients together may open, and how much image decoding their requests may cost at once.
 *
 * @param maxConnections open connections beyond this are answered 503 and closed at once
 * @param headerTimeoutMillis from a request's first byte to the end of its headers; then 408
 * @param bodyTimeoutMillis from the end of the headers to the end of the body; then 408
 * @param idleTimeoutMillis a kept-alive connection with no request begun is closed after this
 * @param maxConcurrentDecodes image decodes at once (each may take hundreds of MB and seconds)
 * @param maxQueuedDecodes image requests waiting for a decode slot; beyond, 503
 * @param maxImagePixels images whose header declares more pixels get 413, before decoding
 * @param maxBufferedBytes request-body bytes all connections together may hold beyond the first 64
 *     kB of each body; a body that would pass it gets 503
 */
public record ClientLimits(
    int maxConnections,
    long headerTimeoutMillis,
    long bodyTimeoutMillis,
    long idleTimeoutMillis,
    int maxConcurrentDecodes,
    int maxQueuedDecodes,
    long maxImagePixels,
    long maxBufferedBytes) {
  /** 4096 x 4096: a 12-megapixel phone photo passes, a decompression bomb does not. */
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 4096L * 4096L;

  /**
   * 128 MB: 32 bodies of the 4 MB limit at once, more than the request pool runs; with the free 64
   * kB of 1,000 connections, at most 192 MB of bodies in the Java heap whatever clients send.
   */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 128L << 20;

  public ClientLimits {
    if (maxConnections < 1 || maxConcurrentDecodes < 1 || maxQueuedDecodes < 0) {
      throw new IllegalArgumentException(
          "limits must be positive, got maxConnections="
              + maxConnections
              + " maxConcurrentDecodes="
              + maxConcurrentDecodes
              + " maxQueuedDecodes="
              + maxQueuedDecodes);
    }
    if (headerTimeoutMillis < 1 || bodyTimeoutMillis < 1 || idleTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "timeouts must be positive, got header="
              + headerTimeoutMillis
              + " ms body="
              + bodyTimeoutMillis
              + " ms idle="
              + idleTimeoutMillis
              + " ms");
    }
    if (maxBufferedBytes < 0) {
      throw new IllegalArgumentException(
          "maxBufferedBytes must not be negative, got " + maxBufferedBytes);
    }
    if (maxImagePixels < 1) {
      throw new IllegalArgumentException("maxImagePixels must be positive, got " + maxImagePixels);
    }
  }

  /**
   * 1,000 connections (each is a file descriptor; the JVM raises its open-file limit to the hard
   * limit, commonly far above), 10 s for headers, 30 s for a body (4 MB at 140 kB/s), 30 s idle,
   * one decode per core with 16 waiting, {@link #DEFAULT_MAX_IMAGE_PIXELS}, {@link
   * #DEFAULT_MAX_BUFFERED_BYTES}.
   */
  public static ClientLimits defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new ClientLimits(
        1000,
        10_000,
        30_000,
        30_000,
        cores,
        16,
        DEFAULT_MAX_IMAGE_PIXELS,
        DEFAULT_MAX_BUFFERED_BYTES);
  }

  public ClientLimits withMaxConnections(int n) {
    return new ClientLimits(
        n,
        headerTimeoutMillis,
        bodyTimeoutMillis,
        idleTimeoutMillis,
        maxConcurrentDecodes,
        maxQueuedDecodes,
        maxImagePixels,
        maxBufferedBytes);
  }

  public ClientLimits withTimeouts(long headerMillis, long bodyMillis, long idleMillis) {
    return new ClientLimits(
        maxConnections,
        headerMillis,
        bodyMillis,
        idleMillis,
        maxConcurrentDecodes,
        maxQueuedDecodes,
        maxImagePixels,
        maxBufferedBytes);
  }

  public ClientLimits withMaxBufferedBytes(long bytes) {
    return new ClientLimits(
        maxConnections,
        headerTimeoutMillis,
        bodyTimeoutMillis,
        idleTimeoutMillis,
        maxConcurrentDecodes,
        maxQueuedDecodes,
        maxImagePixels,
        bytes);
  }
}
