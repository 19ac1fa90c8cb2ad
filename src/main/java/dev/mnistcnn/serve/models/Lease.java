package dev.mnistcnn.serve.models;

import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;

/**
 * One loaded version, held for one request: everything the request reads (signature, the model run)
 * comes from this version, and the version is not unloaded until every lease on it is closed.
 */
public interface Lease extends AutoCloseable {
  String name();

  long version();

  /** The version's model: its signature, for metadata and request checks. */
  Predictor predictor();

  /** How to run it: batched with other requests to this version, or directly. */
  Inference inference();

  /** Gives the version back; idempotent, never throws. */
  @Override
  void close();
}
