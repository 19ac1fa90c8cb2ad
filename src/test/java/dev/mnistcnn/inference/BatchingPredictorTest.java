package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.LoneRuns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Request batching for Java callers, with the real model: requests waiting together share one
 * session run and each gets the answer it would get alone (to float rounding: TensorFlow's kernels
 * block their sums by batch size, so the last bits may differ, never the digit); a caller never
 * runs, or waits behind, other callers' batches; a lone request runs on its caller's thread; no
 * more runs at once than batch threads; one failing request fails alone.
 *
 * <p>A held run that the test thread must get past is submitted from a thread of its own ({@link
 * #fromAnotherThread}): with nothing else running it is a lone request, run by its caller.
 */
@Tag(Tier.FAST)
class BatchingPredictorTest {
  private static final int REQUESTS = 32;

  private static LoneRuns lone;
  private static Predictor predictor;

  @BeforeAll
  static void load() throws Exception {
    lone = new LoneRuns(REQUESTS + 1);
    predictor = lone.predictor();
  }

  @AfterAll
  static void close() {
    lone.close();
  }

  @Test
  void requestsWaitingTogetherShareOneSessionRunWithTheAnswersTheyGetAlone() throws Exception {
    HeldModel model = new HeldModel(run -> run == 0, batch -> false);
    try (BatchingPredictor batching = batching(model, 64)) {
      queueBehindAHeldLoneRun(batching, model, REQUESTS);
      assertEquals(List.of(1, REQUESTS), model.runSizes);
      assertEquals("caller", model.runThreads.get(0));
      assertTrue(model.runThreads.get(1).startsWith("batch-"), model.runThreads.get(1));
      BatchingPredictor.Stats stats = batching.stats();
      assertEquals(2, stats.runs());
      assertEquals(REQUESTS + 1, stats.requests());
      assertEquals(REQUESTS, stats.largestBatch());
    }
  }

  @Test
  void batchesStopAtTheMaximumSize() throws Exception {
    HeldModel model = new HeldModel(run -> run == 0, batch -> false);
    try (BatchingPredictor batching = batching(model, 8)) {
      queueBehindAHeldLoneRun(batching, model, 20);
      assertEquals(List.of(1, 8, 8, 4), model.runSizes);
    }
  }

  @Test
  void runsArePaddedToAnAllowedBatchSizeWithTheFirstImageAndThePaddingsAnswersDropped()
      throws Exception {
    HeldModel model = new HeldModel(run -> run == 0, batch -> false);
    BatchingConfig allowed =
        new BatchingConfig(true, 8, 0, 1).withAllowedBatchSizes(List.of(2, 4, 8));
    try (BatchingPredictor batching = new BatchingPredictor(model, Predictor.IMAGE_SIZE, allowed)) {
      // every answer is its image's own ten probabilities: the padding's are dropped
      queueBehindAHeldLoneRun(batching, model, 11);
      // 1 image padded to 2, then 8, then 3 padded to 4.
      assertEquals(List.of(2, 8, 4), model.runSizes);
      float[] last = model.runInputs.get(2);
      float[] padding = Arrays.copyOfRange(last, 3 * Predictor.IMAGE_SIZE, last.length);
      assertArrayEquals(lone.image(9), padding, "padded with the run's first image");
      BatchingPredictor.Stats stats = batching.stats();
      assertEquals(12, stats.images(), "padding is not counted as images");
      assertEquals(2, stats.paddingImages(), "1 image to 2, 3 to 4");
    }
  }

  @Test
  void anAnswerNeverWaitsBehindOtherCallersBatches() throws Exception {
    // The second run is held: the first caller's answer must be complete all the same, and its
    // call returned at once (a caller that ran the queue's batches would still be running).
    HeldModel model = new HeldModel(run -> run == 1, batch -> false);
    try (BatchingPredictor batching = batching(model, 64)) {
      CompletableFuture<float[]> first = batching.probabilities(lone.image(0), 1);
      lone.assertAnswers(0, first.get(30, TimeUnit.SECONDS));
      CompletableFuture<float[]> held = fromAnotherThread(batching, lone.image(1));
      model.running.await();
      CompletableFuture<float[]> queued = batching.probabilities(lone.image(2), 1);
      assertFalse(held.isDone());
      assertFalse(queued.isDone());
      model.release.countDown();
      lone.assertAnswers(1, held.get(30, TimeUnit.SECONDS));
      lone.assertAnswers(2, queued.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void aFailingRequestFailsAloneAndTheRestOfItsBatchIsAnswered() throws Exception {
    float poison = 0.123f; // only the poisoned image has this value
    float[] poisoned = lone.image(5);
    poisoned[0] = poison;
    HeldModel model = new HeldModel(run -> run == 0, batch -> contains(batch, poison));
    try (BatchingPredictor batching = batching(model, 64)) {
      CompletableFuture<float[]> first = fromAnotherThread(batching, lone.image(0));
      model.running.await();
      List<CompletableFuture<float[]>> rest = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        rest.add(batching.probabilities(i == 5 ? poisoned : lone.image(i), 1));
      }
      model.release.countDown();
      first.get(30, TimeUnit.SECONDS);
      for (int i = 1; i <= 10; i++) {
        CompletableFuture<float[]> answer = rest.get(i - 1);
        if (i == 5) {
          ExecutionException e =
              assertThrows(ExecutionException.class, () -> answer.get(30, TimeUnit.SECONDS));
          assertInstanceOf(IllegalStateException.class, e.getCause());
        } else {
          lone.assertAnswers(i, answer.get(30, TimeUnit.SECONDS));
        }
      }
      // the lone first run, the failed batch of 10, then each of the 10 again alone
      assertEquals(12, model.runSizes.size());
      assertEquals(10, model.runSizes.get(1));
    }
  }

  /**
   * TF Serving's max_enqueued_batches: while a run is held, the queue takes that many full batches
   * of images and refuses the request that would pass them; a lone large request is always taken.
   */
  @Test
  void aFullQueueRefusesNewRequestsAndAnswersTheRest() throws Exception {
    HeldModel model = new HeldModel(run -> run == 0, batch -> false);
    BatchingConfig config = new BatchingConfig(true, 2, 0, 1, 2); // 2 batches of 2 images
    try (BatchingPredictor batching = new BatchingPredictor(model, Predictor.IMAGE_SIZE, config)) {
      CompletableFuture<float[]> first = fromAnotherThread(batching, lone.image(0));
      model.running.await(); // the queue is empty: the held run is its caller's
      List<CompletableFuture<float[]>> queued = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        queued.add(batching.probabilities(lone.image(i), 1));
      }
      CompletableFuture<float[]> refused = batching.probabilities(lone.image(5), 1);
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> refused.get(30, TimeUnit.SECONDS));
      assertInstanceOf(BatchQueueFullException.class, e.getCause());
      model.release.countDown();
      lone.assertAnswers(0, first.get(30, TimeUnit.SECONDS));
      for (int i = 1; i <= 4; i++) {
        lone.assertAnswers(i, queued.get(i - 1).get(30, TimeUnit.SECONDS));
      }
      float[] five = new float[5 * Predictor.IMAGE_SIZE]; // more than the queue holds, alone
      for (int i = 0; i < 5; i++) {
        System.arraycopy(lone.image(i), 0, five, i * Predictor.IMAGE_SIZE, Predictor.IMAGE_SIZE);
      }
      assertEquals(50, batching.probabilities(five, 5).get(30, TimeUnit.SECONDS).length);
    }
  }

  @Test
  void closeAnswersWhatIsQueuedThenRefusesNewRequests() throws Exception {
    HeldModel model = new HeldModel(run -> run == 0, batch -> false);
    BatchingPredictor batching = batching(model, 64);
    CompletableFuture<float[]> first = fromAnotherThread(batching, lone.image(0));
    model.running.await();
    CompletableFuture<float[]> queued = batching.probabilities(lone.image(1), 1);
    Thread closer = new Thread(batching::close);
    closer.start();
    model.release.countDown();
    closer.join(30_000);
    assertFalse(closer.isAlive(), "close did not return");
    lone.assertAnswers(0, first.get(30, TimeUnit.SECONDS));
    lone.assertAnswers(1, queued.get(30, TimeUnit.SECONDS));
    CompletableFuture<float[]> late = batching.probabilities(lone.image(2), 1);
    ExecutionException e = assertThrows(ExecutionException.class, late::get);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertNoBatchThreadLeft();
  }

  @Test
  void aLoneRequestRunsOnItsCallersThreadAndComesBackAnswered() throws Exception {
    HeldModel model = new HeldModel(run -> false, batch -> false);
    try (BatchingPredictor batching = batching(model, 64)) {
      for (int i = 0; i < 3; i++) {
        CompletableFuture<float[]> answer = batching.probabilities(lone.image(i), 1);
        assertTrue(answer.isDone(), "a lone request was handed to a batch thread");
        lone.assertAnswers(i, answer.get());
      }
      assertEquals(List.of(1, 1, 1), model.runSizes);
      assertEquals(Collections.nCopies(3, Thread.currentThread().getName()), model.runThreads);
    }
  }

  @Test
  void noMoreRunsAtOnceThanBatchThreads() throws Exception {
    int threads = 2;
    int callers = 6;
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    BatchingPredictor.Model counting =
        (batch, count) -> {
          most.accumulateAndGet(now.incrementAndGet(), Math::max);
          try {
            Thread.sleep(2); // long enough for the callers to pile up
            return predictor.probabilities(batch, count);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          } finally {
            now.decrementAndGet();
          }
        };
    try (BatchingPredictor batching =
        new BatchingPredictor(
            counting, Predictor.IMAGE_SIZE, new BatchingConfig(true, 64, 0, threads))) {
      List<CompletableFuture<float[]>> answers = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> started = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < REQUESTS; i++) {
                    answers.add(batching.probabilities(lone.image(i), 1));
                  }
                });
        t.start();
        started.add(t);
      }
      start.countDown();
      for (Thread t : started) {
        t.join(60_000);
      }
      assertEquals(callers * REQUESTS, answers.size());
      for (CompletableFuture<float[]> answer : answers) {
        assertEquals(10, answer.get(30, TimeUnit.SECONDS).length);
      }
      assertTrue(most.get() <= threads, most.get() + " runs at once with " + threads + " slots");
      assertTrue(batching.stats().runs() < (long) callers * REQUESTS, "nothing was batched");
    }
  }

  /** As the last lease on a version does, unloading it from a request's answer. */
  @Test
  void anAnswersCallbackMayCloseTheBatcher() throws Exception {
    HeldModel model = new HeldModel(run -> run == 0, batch -> false);
    BatchingPredictor batching = batching(model, 64);
    CompletableFuture<float[]> first = fromAnotherThread(batching, lone.image(0));
    model.running.await();
    // queued behind the held lone run, so a batch thread runs it and completes its answer
    CompletableFuture<Void> closedByBatchThread =
        batching.probabilities(lone.image(1), 1).thenRun(batching::close);
    model.release.countDown();
    lone.assertAnswers(0, first.get(30, TimeUnit.SECONDS));
    closedByBatchThread.get(30, TimeUnit.SECONDS);

    BatchingPredictor again = batching(new HeldModel(run -> false, batch -> false), 64);
    CompletableFuture<Void> closedByCaller = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              // a lone request: run on this thread, its answer's callback closes the batcher
              again.probabilities(lone.image(2), 1).thenRun(again::close).join();
              closedByCaller.complete(null);
            },
            "caller");
    caller.setDaemon(true);
    caller.start();
    closedByCaller.get(30, TimeUnit.SECONDS);
    assertNoBatchThreadLeft();
  }

  @Test
  void predictGivesTheDigitOfOneImage() throws Exception {
    try (BatchingPredictor batching =
        new BatchingPredictor(predictor, BatchingConfig.enabled(64, 0))) {
      Prediction p = batching.predict(lone.image(3)).get(30, TimeUnit.SECONDS);
      assertEquals(Prediction.of(lone.alone(3)).digit(), p.digit());
      assertEquals(TestData.mnist().test().label(3), p.digit());
    }
  }

  /**
   * Submits one image from a new thread named "caller", which runs it itself when it is a lone
   * request; the answer as the batching gives it.
   */
  private static CompletableFuture<float[]> fromAnotherThread(
      BatchingPredictor batching, float[] image) {
    CompletableFuture<float[]> answer = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                answer.complete(batching.probabilities(image, 1).join());
              } catch (CompletionException e) {
                answer.completeExceptionally(e.getCause());
              }
            },
            "caller");
    caller.setDaemon(true);
    caller.start();
    return answer;
  }

  /**
   * Image 0 runs alone on its caller's thread and is held there while images 1..{@code queued} are
   * submitted; then released: the queued ones go in the next runs. Every answer is checked against
   * its image's lone run.
   */
  private static void queueBehindAHeldLoneRun(
      BatchingPredictor batching, HeldModel model, int queued) throws Exception {
    CompletableFuture<float[]> first = fromAnotherThread(batching, lone.image(0));
    model.running.await();
    List<CompletableFuture<float[]>> rest = new ArrayList<>();
    for (int i = 1; i <= queued; i++) {
      rest.add(batching.probabilities(lone.image(i), 1));
    }
    model.release.countDown();
    lone.assertAnswers(0, first.get(30, TimeUnit.SECONDS));
    for (int i = 1; i <= queued; i++) {
      lone.assertAnswers(i, rest.get(i - 1).get(30, TimeUnit.SECONDS));
    }
  }

  private static void assertNoBatchThreadLeft() {
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(BatchingPredictorTest::isBatchThread),
        "a batch thread outlived close");
  }

  /** A batcher's own thread ("batch-N-M"), alive; callers' threads run its code too. */
  private static boolean isBatchThread(Thread t) {
    return t.isAlive()
        && t.getName().startsWith("batch-")
        && Arrays.stream(t.getStackTrace())
            .anyMatch(f -> f.getClassName().equals(BatchingPredictor.class.getName()));
  }

  /**
   * One batch thread, so that which requests share a batch is what these tests decide (more threads
   * would take queued requests while the held run waits).
   */
  private static BatchingPredictor batching(HeldModel model, int maxBatchSize) {
    return new BatchingPredictor(
        model, Predictor.IMAGE_SIZE, new BatchingConfig(true, maxBatchSize, 0, 1));
  }

  private static boolean contains(float[] values, float v) {
    for (float x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /**
   * The real predictor, with one chosen run held until released (so that the test knows which
   * requests wait together) and runs that contain a poisoned image failing, as a TensorFlow error
   * would.
   */
  private static final class HeldModel implements BatchingPredictor.Model {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<Integer> runSizes = Collections.synchronizedList(new ArrayList<>());
    final List<String> runThreads = Collections.synchronizedList(new ArrayList<>());
    final List<float[]> runInputs = Collections.synchronizedList(new ArrayList<>());
    private final IntPredicate held;
    private final Predicate<float[]> fails;

    HeldModel(IntPredicate held, Predicate<float[]> fails) {
      this.held = held;
      this.fails = fails;
    }

    @Override
    public float[] probabilities(float[] batch, int count) {
      int run;
      synchronized (runSizes) {
        run = runSizes.size();
        runSizes.add(count);
        runThreads.add(Thread.currentThread().getName());
        runInputs.add(batch.clone());
      }
      if (held.test(run)) {
        running.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (fails.test(batch)) {
        throw new IllegalStateException("TensorFlow failed on this batch");
      }
      return predictor.probabilities(batch, count);
    }
  }
}
