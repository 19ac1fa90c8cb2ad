package dev.mnistcnn.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Request batching for callers on many threads, as TensorFlow Serving's {@code --enable_batching}:
 * images that callers submit while the model is busy go through it together in one session run.
 *
 * <p>{@link BatchingConfig#threads} batch threads of its own take the waiting requests: a batch is
 * the oldest one plus every other already waiting, up to the maximum batch size. A caller queues
 * its images and signals an idle batch thread (a condition, as TF Serving's scheduler does), so it
 * never runs other callers' batches and its answer never waits behind them. Only a batch that
 * already has company waits up to the batch timeout for more. Answers complete on the batch thread,
 * which also runs what callers chained on them: keep that short, or move it elsewhere with {@link
 * CompletableFuture}'s {@code ...Async} methods.
 *
 * <p>A lone request, one that finds nothing running and nothing queued, runs at once on the
 * caller's thread and comes back complete: with no one to batch with, handing it to a batch thread
 * only adds two thread wake-ups and a core gone cold (measured on a 2-core AVX2 EPYC, one HTTP
 * connection: p50 0.47-0.53 against 0.67-0.70 ms, see docs/serving.md). It takes one of the {@link
 * BatchingConfig#threads} run slots like a batch, so no more runs than that go at once; requests
 * that come while it runs queue for the batch threads as before. A caller on an I/O thread may call
 * this: it runs the model only when the model is otherwise idle. Every run gives its slot back
 * before its answers complete, so an answer's callback may close the batcher (the last lease on a
 * version unloading it).
 *
 * <p>A batch whose run fails (out of memory, a TensorFlow error) is run again one request at a
 * time, so that only the request that causes the failure gets it. {@link #close} answers what is
 * queued, then stops the threads; it does not close the model.
 */
public final class BatchingPredictor implements Inference, AutoCloseable {
  /** The model call a batch makes: class probabilities for {@code count} images end to end. */
  @FunctionalInterface
  public interface Model {
    float[] probabilities(float[] images, int count);
  }

  /**
   * Counts since start: session runs, requests and images through them, the images added to pad
   * runs to an allowed batch size, the most requests in one run.
   */
  public record Stats(long runs, long requests, long images, long paddingImages, int largestBatch) {
    public static final Stats NONE = new Stats(0, 0, 0, 0, 0);

    /** Both counts together (several batchers, or versions served one after another). */
    public Stats plus(Stats other) {
      return new Stats(
          runs + other.runs,
          requests + other.requests,
          images + other.images,
          paddingImages + other.paddingImages,
          Math.max(largestBatch, other.largestBatch));
    }
  }

  @SuppressWarnings("ArrayRecordComponent") // a request's images, never compared
  private record Item(float[] images, int count, CompletableFuture<float[]> answer) {}

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Model model;
  private final int imageSize;
  private final BatchingConfig config;
  private final int maxBatchSize;
  private final int maxEnqueuedBatches;
  private final long timeoutNanos;
  private final List<Thread> threads = new ArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled when a request arrives and no batch is being formed: wakes an idle thread. */
  private final Condition arrived = lock.newCondition();

  /** Signalled when a request arrives while a batch is being formed and waits for company. */
  private final Condition joined = lock.newCondition();

  /** Signalled when the last run going on ends. */
  private final Condition idle = lock.newCondition();

  // Guarded by lock:
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long queuedImages;
  private boolean forming;
  private boolean closed;

  /** Runs going on (batches being formed or run, lone requests on their callers' threads). */
  private int running;

  private final int slots;

  private final LongAdder runs = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder images = new LongAdder();
  private final LongAdder paddingImages = new LongAdder();
  private final AtomicInteger largestBatch = new AtomicInteger();

  /**
   * Batches the calls of {@code predictor}, which the caller still owns and closes. Each batch runs
   * on one thread (the predictor's one-thread session): the request threads keep the other cores
   * busy, and {@link BatchingConfig#threads} batches run at once.
   */
  public BatchingPredictor(Predictor predictor, BatchingConfig config) {
    this(predictor::probabilitiesOnOneThread, Predictor.IMAGE_SIZE, config);
  }

  /** Batches the calls of any model taking {@code imageSize} values per image. */
  public BatchingPredictor(Model model, int imageSize, BatchingConfig config) {
    this.model = model;
    this.imageSize = imageSize;
    this.config = config;
    this.maxBatchSize = config.maxBatchSize();
    this.slots = config.threads();
    this.maxEnqueuedBatches = config.maxEnqueuedBatches();
    this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(config.timeoutMicros());
    ThreadFactory factory = batchThreads("batch-" + INSTANCES.incrementAndGet() + "-");
    for (int i = 0; i < config.threads(); i++) {
      Thread t = factory.newThread(this::runBatches);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Probabilities for {@code count} images laid end to end: complete on return for a lone request
   * (run on this thread), else completed by a batch thread; failed with {@link
   * IllegalStateException} once {@link #close} has begun.
   */
  @Override
  public CompletableFuture<float[]> probabilities(float[] pixels, int count) {
    if (count < 1 || pixels.length != (long) count * imageSize) {
      throw new IllegalArgumentException(
          "expected " + count + " images of " + imageSize + " values, got " + pixels.length);
    }
    Item item = new Item(pixels, count, new CompletableFuture<>());
    if (enqueueOrClaimSlot(item)) {
      runAndAnswer(List.of(item));
    }
    return item.answer;
  }

  /**
   * Queues {@code item} (or answers it with a refusal) and returns false; or, for a lone request,
   * takes a run slot for the caller and returns true.
   */
  private boolean enqueueOrClaimSlot(Item item) {
    lock.lock();
    try {
      if (closed) {
        item.answer.completeExceptionally(new IllegalStateException("batching is closed"));
        return false;
      }
      if (running == 0 && queue.isEmpty()) {
        running++;
        return true;
      }
      // TF Serving's max_enqueued_batches, counted in images; a lone request always gets in.
      if (maxEnqueuedBatches > 0
          && !queue.isEmpty()
          && queuedImages + item.count > (long) maxEnqueuedBatches * maxBatchSize) {
        item.answer.completeExceptionally(new BatchQueueFullException(maxEnqueuedBatches));
        return false;
      }
      queue.addLast(item);
      queuedImages += item.count;
      (forming ? joined : arrived).signal();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** True: a lone request runs on the caller's thread, any other queues (see the class comment). */
  @Override
  public boolean callerRunsOnlyWhenIdle() {
    return true;
  }

  /** The digit and probabilities of one 28x28 image in [0, 1], batched with other callers'. */
  public CompletableFuture<Prediction> predict(float[] image) {
    return probabilities(image, 1).thenApply(Prediction::of);
  }

  public Stats stats() {
    return new Stats(
        runs.sum(), requests.sum(), images.sum(), paddingImages.sum(), largestBatch.get());
  }

  /**
   * Refuses new requests, answers those already queued, stops the batch threads and waits for the
   * lone requests running on their callers' threads.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
      joined.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive() && t != Thread.currentThread()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    lock.lock();
    try {
      while (running > 0) { // lone requests still running on their callers' threads
        idle.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void runBatches() {
    for (List<Item> batch; (batch = nextBatch()) != null; ) {
      runAndAnswer(batch);
    }
  }

  /** A run is over: its slot goes to a batch thread if requests came meanwhile. */
  private void finished() {
    lock.lock();
    try {
      running--;
      if (!queue.isEmpty()) {
        arrived.signal();
      } else if (running == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The oldest waiting request and those that fit after it, waiting for one if none does; null once
   * closed and nothing is left. One thread at a time forms a batch (others wait on {@code
   * arrived}), so requests join batches in the order they came.
   */
  private List<Item> nextBatch() {
    lock.lock();
    try {
      while (queue.isEmpty() || forming || running >= slots) {
        if (closed && queue.isEmpty()) {
          return null;
        }
        arrived.awaitUninterruptibly();
      }
      forming = true;
      running++;
      List<Item> batch = new ArrayList<>();
      Item first = queue.pollFirst();
      queuedImages -= first.count;
      batch.add(first);
      int count = first.count;
      long deadline = System.nanoTime() + timeoutNanos;
      while (count < maxBatchSize) {
        Item next = queue.peekFirst();
        if (next == null) {
          // Wait for company only if there is some already: a lone request runs at once.
          long left = deadline - System.nanoTime();
          if (batch.size() == 1 || left <= 0 || closed) {
            break;
          }
          try {
            joined.awaitNanos(left);
          } catch (InterruptedException e) {
            // batch threads are ours and never interrupted: look at the queue again
          }
          continue;
        }
        if (count + next.count > maxBatchSize) {
          break; // it opens the next batch
        }
        queue.pollFirst();
        queuedImages -= next.count;
        batch.add(next);
        count += next.count;
      }
      forming = false;
      if (!queue.isEmpty()) {
        arrived.signal(); // another thread may take the rest while this one runs
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code batch} on the run slot this thread holds, gives the slot back, then completes the
   * answers: their callbacks may close this batcher (a lease's last holder unloading its version),
   * which waits for every slot to be free.
   */
  private void runAndAnswer(List<Item> batch) {
    List<Runnable> answers;
    try {
      answers = run(batch);
    } finally {
      finished();
    }
    answers.forEach(Runnable::run);
  }

  /** Runs a batch; the completion of each request's answer, not yet run. */
  private List<Runnable> run(List<Item> batch) {
    if (batch.size() == 1) {
      return List.of(runAlone(batch.get(0)));
    }
    int count = 0;
    for (Item item : batch) {
      count += item.count;
    }
    List<Runnable> answers = new ArrayList<>(batch.size());
    float[] probabilities;
    try {
      float[] all = new float[count * imageSize];
      int offset = 0;
      for (Item item : batch) {
        System.arraycopy(item.images, 0, all, offset, item.images.length);
        offset += item.images.length;
      }
      probabilities = runPadded(all, count);
    } catch (RuntimeException | OutOfMemoryError e) {
      counted(batch.size(), count);
      for (Item item : batch) {
        answers.add(runAlone(item));
      }
      return answers;
    }
    counted(batch.size(), count);
    int classes = probabilities.length / count;
    int offset = 0;
    for (Item item : batch) {
      float[] mine = new float[item.count * classes];
      System.arraycopy(probabilities, offset, mine, 0, mine.length);
      offset += mine.length;
      answers.add(() -> complete(item, mine, null));
    }
    return answers;
  }

  /** Runs one request alone; the completion of its answer, not yet run. */
  private Runnable runAlone(Item item) {
    float[] probabilities = null;
    Throwable failure = null;
    try {
      probabilities = runPadded(item.images, item.count);
    } catch (RuntimeException | OutOfMemoryError e) {
      failure = e;
    }
    counted(1, item.count);
    float[] answer = probabilities;
    Throwable cause = failure;
    return () -> complete(item, answer, cause);
  }

  /**
   * The model's answers for {@code count} images, run padded to an allowed batch size with repeats
   * of the first image (always a valid one, as TF Serving pads), whose answers are dropped.
   */
  private float[] runPadded(float[] pixels, int count) {
    int size = config.paddedSize(count);
    if (size == count) {
      return model.probabilities(pixels, count);
    }
    paddingImages.add(size - count);
    float[] padded = Arrays.copyOf(pixels, size * imageSize);
    for (int i = count; i < size; i++) {
      System.arraycopy(pixels, 0, padded, i * imageSize, imageSize);
    }
    float[] all = model.probabilities(padded, size);
    return Arrays.copyOf(all, all.length / size * count);
  }

  private static void complete(Item item, float[] probabilities, Throwable failure) {
    if (failure == null) {
      item.answer.complete(probabilities);
    } else {
      item.answer.completeExceptionally(failure);
    }
  }

  private void counted(int batchRequests, int batchImages) {
    runs.increment();
    requests.add(batchRequests);
    images.add(batchImages);
    largestBatch.accumulateAndGet(batchRequests, Math::max);
  }

  /** Daemon threads named prefix1, prefix2, ...: visible in dumps, never keep the JVM up. */
  private static ThreadFactory batchThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
