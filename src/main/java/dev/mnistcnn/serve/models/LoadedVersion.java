package dev.mnistcnn.serve.models;

import dev.mnistcnn.inference.BatchingPredictor;
import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A loaded version and its reference count: one reference is the manager's while the version is
 * served, one per open lease. The last one to go closes the batcher, then the predictor, so a
 * version is never closed under a request that holds it.
 */
final class LoadedVersion {
  private static final System.Logger LOG = System.getLogger(LoadedVersion.class.getName());

  final String name;
  final long version;
  final Predictor predictor;
  private final BatchingPredictor batcher;
  private final Inference inference;
  private final AtomicInteger references = new AtomicInteger(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Consumer<LoadedVersion> closedHook;
  private volatile Runnable afterClose = () -> {};

  /**
   * Takes ownership of {@code predictor} and {@code batcher} (null without batching); {@code
   * closedHook} hears of the close, after {@link #retire}'s own.
   */
  LoadedVersion(
      String name,
      long version,
      Predictor predictor,
      BatchingPredictor batcher,
      Consumer<LoadedVersion> closedHook) {
    this.name = name;
    this.version = version;
    this.predictor = predictor;
    this.batcher = batcher;
    this.closedHook = closedHook;
    this.inference = batcher != null ? batcher : Inference.direct(predictor);
  }

  /** A lease, or null once the version is retired and its last lease gone. */
  Lease lease() {
    for (int n = references.get(); n > 0; n = references.get()) {
      if (references.compareAndSet(n, n + 1)) {
        return new OwnedLease(name, version, predictor, inference, this::release);
      }
    }
    return null;
  }

  /** Drops the manager's reference: closes now if no lease is open, else when the last closes. */
  void retire(Runnable whenClosed) {
    afterClose = whenClosed;
    release();
  }

  /** Waits for the close that follows {@link #retire}; false if leases are still open. */
  boolean awaitClosed(long millis) throws InterruptedException {
    return closed.await(millis, TimeUnit.MILLISECONDS);
  }

  BatchingPredictor.Stats batchStats() {
    return batcher == null ? BatchingPredictor.Stats.NONE : batcher.stats();
  }

  private void release() {
    if (references.decrementAndGet() == 0) {
      try {
        if (batcher != null) {
          batcher.close();
        }
        predictor.close();
        afterClose.run();
        closedHook.accept(this);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing version " + version + " of " + name + " failed", e);
      } finally {
        closed.countDown();
      }
    }
  }
}
