package dev.mnistcnn.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gathers concurrent predict calls into one session run, as TensorFlow Serving's batching does.
 *
 * <p>A batch thread takes the oldest waiting request and every other one already waiting, up to
 * the maximum batch size. A request that finds nobody else waiting runs at once; only a batch that
 * already has company waits up to the batch timeout for more, so a lone client never pays it.
 * While one batch runs the next one forms, which is where the speed comes from under load.
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

  private record Item(float[] images, int count, CompletableFuture<float[]> answer) {}

  private static final long POLL_MILLIS = 100;

  private final Model model;
  private final int imageSize;
  private final int maxBatchSize;
  private final long timeoutNanos;
  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
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
    for (int i = 1; i <= config.threads(); i++) {
      Thread t = new Thread(this::loop, "batch-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Probabilities for {@code count} images, completed by a batch thread; a request of the maximum
   * batch size or more runs on the calling thread, alone.
   */
  @Override
  public CompletionStage<float[]> probabilities(float[] pixels, int count) {
    if (count < 1 || pixels.length != (long) count * imageSize) {
      throw new IllegalArgumentException(
          "expected " + count + " images of " + imageSize + " values, got " + pixels.length);
    }
    Item item = new Item(pixels, count, new CompletableFuture<>());
    if (closed) {
      item.answer.completeExceptionally(new IllegalStateException("the batcher is closed"));
    } else if (count >= maxBatchSize) {
      runAlone(item);
    } else {
      queue.add(item);
    }
    return item.answer;
  }

  Stats stats() {
    return new Stats(runs.sum(), requests.sum(), images.sum(), largestBatch.get());
  }

  /** Stops the batch threads; requests still waiting fail. Call once no more are submitted. */
  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Item left; (left = queue.poll()) != null; ) {
      left.answer.completeExceptionally(new IllegalStateException("the server is shutting down"));
    }
  }

  private void loop() {
    Item carried = null;
    while (!closed) {
      try {
        Item first = carried != null ? carried : queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        carried = null;
        if (first == null) {
          continue;
        }
        List<Item> batch = new ArrayList<>();
        batch.add(first);
        int count = first.count;
        long deadline = System.nanoTime() + timeoutNanos;
        while (count < maxBatchSize) {
          Item next = queue.poll();
          if (next == null && batch.size() > 1 && timeoutNanos > 0) {
            long left = deadline - System.nanoTime();
            next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
          }
          if (next == null) {
            break;
          }
          if (count + next.count > maxBatchSize) {
            carried = next; // first in the next batch, so it keeps its place
            break;
          }
          batch.add(next);
          count += next.count;
        }
        run(batch, count);
      } catch (InterruptedException e) {
        if (carried != null) {
          queue.add(carried);
        }
        return;
      }
    }
  }

  private void run(List<Item> batch, int count) {
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
