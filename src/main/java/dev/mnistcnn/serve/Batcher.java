package dev.mnistcnn.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Gathers concurrent predict calls into one session run, as TensorFlow Serving's batching does.
 *
 * <p>No thread of its own: a request joins the queue, and if fewer than the allowed number of
 * batches are running, its thread becomes a runner and takes batches from the queue until it is
 * empty. A batch is the oldest waiting request plus every other one already waiting, up to the
 * maximum batch size. So a lone request runs at once on its own thread, with no hand-over; under
 * load, requests queue while a batch runs and go together in the next. Only a batch that already
 * has company waits up to the batch timeout for more, so a lone client never pays it.
 *
 * <p>A batch whose run fails (out of memory, a TensorFlow error) is run again one request at a
 * time, so that only the request that causes the failure gets it.
 */
final class Batcher implements Inference, AutoCloseable {
  /** The model call a batch makes. */
  @FunctionalInterface
  interface Model {
    float[] probabilities(float[] images, int count);
  }

  /** Counts since start: session runs, requests and images through them, the largest batch. */
  record Stats(long runs, long requests, long images, int largestBatch) {}

  @SuppressWarnings("ArrayRecordComponent") // a request's images, never compared
  private record Item(float[] images, int count, CompletableFuture<float[]> answer) {}

  /** How often a batch waiting for company looks at the queue again. */
  private static final long WAIT_STEP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private final Model model;
  private final int imageSize;
  private final int maxBatchSize;
  private final long timeoutNanos;
  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  private final Semaphore runners;
  private volatile boolean closed;

  private final LongAdder runs = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder images = new LongAdder();
  private final AtomicInteger largestBatch = new AtomicInteger();

  Batcher(Model model, int imageSize, BatchingConfig config) {
    this.model = model;
    this.imageSize = imageSize;
    this.maxBatchSize = config.maxBatchSize();
    this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(config.timeoutMicros());
    this.runners = new Semaphore(config.threads());
  }

  /**
   * Probabilities for {@code count} images. The future may be complete on return (this thread ran
   * the batch) or be completed by another request's thread.
   */
  @Override
  public CompletionStage<float[]> probabilities(float[] pixels, int count) {
    if (count < 1 || pixels.length != (long) count * imageSize) {
      throw new IllegalArgumentException(
          "expected " + count + " images of " + imageSize + " values, got " + pixels.length);
    }
    Item item = new Item(pixels, count, new CompletableFuture<>());
    if (closed) {
      item.answer.completeExceptionally(new IllegalStateException("the server is shutting down"));
      return item.answer;
    }
    queue.add(item);
    // Run batches while there are any and a runner's place is free. Re-checked after letting
    // the place go: a request queued just then, whose own attempt failed, is not left behind.
    while (!queue.isEmpty() && runners.tryAcquire()) {
      try {
        for (List<Item> batch; (batch = nextBatch()) != null; ) {
          run(batch);
        }
      } finally {
        runners.release();
      }
    }
    return item.answer;
  }

  Stats stats() {
    return new Stats(runs.sum(), requests.sum(), images.sum(), largestBatch.get());
  }

  /** Fails requests still waiting and refuses new ones. Call once no more are expected. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Item left; (left = queue.poll()) != null; ) {
      left.answer.completeExceptionally(new IllegalStateException("the server is shutting down"));
    }
  }

  /**
   * The oldest waiting request and those that fit after it; null when none waits. One runner at a
   * time forms a batch (they run outside the lock), so the head it looks at is the one it takes.
   */
  private synchronized List<Item> nextBatch() {
    Item first = queue.poll();
    if (first == null) {
      return null;
    }
    List<Item> batch = new ArrayList<>();
    batch.add(first);
    int count = first.count;
    long deadline = System.nanoTime() + timeoutNanos;
    while (count < maxBatchSize) {
      Item next = queue.peek();
      if (next == null) {
        // Wait for company only if there is some already: a lone request runs at once.
        if (batch.size() == 1 || System.nanoTime() >= deadline) {
          break;
        }
        LockSupport.parkNanos(WAIT_STEP_NANOS);
        continue;
      }
      if (count + next.count > maxBatchSize) {
        break; // it opens the next batch
      }
      queue.poll();
      batch.add(next);
      count += next.count;
    }
    return batch;
  }

  private void run(List<Item> batch) {
    int count = 0;
    for (Item item : batch) {
      count += item.count;
    }
    if (batch.size() == 1) {
      runAlone(batch.get(0));
      return;
    }
    float[] probabilities;
    try {
      float[] all = new float[count * imageSize];
      int offset = 0;
      for (Item item : batch) {
        System.arraycopy(item.images, 0, all, offset, item.images.length);
        offset += item.images.length;
      }
      probabilities = model.probabilities(all, count);
    } catch (RuntimeException | OutOfMemoryError e) {
      counted(batch.size(), count);
      for (Item item : batch) {
        runAlone(item);
      }
      return;
    }
    counted(batch.size(), count);
    int classes = probabilities.length / count;
    int offset = 0;
    for (Item item : batch) {
      float[] mine = new float[item.count * classes];
      System.arraycopy(probabilities, offset, mine, 0, mine.length);
      offset += mine.length;
      item.answer.complete(mine);
    }
  }

  private void runAlone(Item item) {
    try {
      float[] probabilities = model.probabilities(item.images, item.count);
      counted(1, item.count);
      item.answer.complete(probabilities);
    } catch (RuntimeException | OutOfMemoryError e) {
      counted(1, item.count);
      item.answer.completeExceptionally(e);
    }
  }

  private void counted(int batchRequests, int batchImages) {
    runs.increment();
    requests.add(batchRequests);
    images.add(batchImages);
    largestBatch.accumulateAndGet(batchRequests, Math::max);
  }
}
