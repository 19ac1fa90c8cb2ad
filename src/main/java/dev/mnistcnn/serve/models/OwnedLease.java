package dev.mnistcnn.serve.models;

import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;
import java.util.concurrent.atomic.AtomicBoolean;

/** A lease that gives its version back through {@code release}, once, however often closed. */
final class OwnedLease implements Lease {
  private final String name;
  private final long version;
  private final Predictor predictor;
  private final Inference inference;
  private final Runnable release;
  private final AtomicBoolean open = new AtomicBoolean(true);

  OwnedLease(
      String name, long version, Predictor predictor, Inference inference, Runnable release) {
    this.name = name;
    this.version = version;
    this.predictor = predictor;
    this.inference = inference;
    this.release = release;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public Predictor predictor() {
    return predictor;
  }

  @Override
  public Inference inference() {
    return inference;
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      release.run();
    }
  }
}
