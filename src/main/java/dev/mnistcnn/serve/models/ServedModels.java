package dev.mnistcnn.serve.models;

import java.util.List;

/**
 * The models a server holds, as TF Serving's APIs see them. Thread-safe; implementations load and
 * unload versions in the background, and a version stays loaded while a lease on it is open.
 */
public interface ServedModels {
  /**
   * A loaded version for {@code spec}: the newest available one without version or label. The
   * caller closes the lease when its answer is complete, so that an unload waits for it.
   *
   * @throws ServableNotFoundException no such model, version or label, or not available (yet)
   */
  Lease acquire(ModelSpec spec) throws ServableNotFoundException;

  /**
   * TF Serving's {@code model_version_status} of one model, newest version first: every version the
   * policy wants (or wanted), in its state; only {@code version} when given.
   *
   * @throws ServableNotFoundException no such model, or that version was never seen
   */
  List<VersionStatus> status(String name, Long version) throws ServableNotFoundException;

  /** Names of the models served, in configuration order. */
  List<String> names();
}
