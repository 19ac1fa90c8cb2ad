package dev.mnistcnn.serve.models;

import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.BatchingPredictor;
import dev.mnistcnn.inference.InferenceException;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TF Serving's model manager for base paths of numbered version folders: loads what each model's
 * version policy wants, polls the base paths for new and removed versions, and hands out leases.
 *
 * <p>One thread of its own ({@code model-versions}) polls and loads, so a load never holds up a
 * request; a loaded version takes over by replacing the model's map of served versions whole. A
 * version leaves only when its last lease is closed (see {@link LoadedVersion}). {@link #close}
 * stops the thread, then unloads everything and waits for the leases.
 */
public final class ModelManager implements ServedModels, AutoCloseable {
  /**
   * How versions are loaded and found.
   *
   * @param trust the op allowlist check, as for {@code serve --model}
   * @param runTimeout compute allowed to one model run (zero: no limit)
   * @param batching a batcher per loaded version when enabled
   * @param pollInterval how often base paths are looked at; zero: once, at start
   * @param labelsForUnavailable let a label point at a version not available (TF Serving's {@code
   *     --allow_version_labels_for_unavailable_models})
   */
  public record Settings(
      ModelTrust trust,
      Duration runTimeout,
      BatchingConfig batching,
      Duration pollInterval,
      boolean labelsForUnavailable) {
    public Settings {
      if (pollInterval.isNegative()) {
        throw new IllegalArgumentException("the poll interval must be 0 or more");
      }
    }
  }

  /** How long {@link #close} waits for open leases before leaving their versions loaded. */
  static final long CLOSE_WAIT_MILLIS = 30_000;

  private static final System.Logger LOG = System.getLogger(ModelManager.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Settings settings;
  private final Map<String, VersionedModel> models = new LinkedHashMap<>();
  private final ScheduledExecutorService poller;
  private final Set<LoadedVersion> open = ConcurrentHashMap.newKeySet();
  private final AtomicReference<BatchingPredictor.Stats> closedStats =
      new AtomicReference<>(BatchingPredictor.Stats.NONE);
  private boolean closed;

  private ModelManager(List<BasePathModel> configs, Settings settings) {
    this.settings = settings;
    for (BasePathModel config : configs) {
      if (models.put(config.name(), new VersionedModel(config, this::load)) != null) {
        throw new IllegalArgumentException("model '" + config.name() + "' is configured twice");
      }
    }
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "model-versions-" + INSTANCES.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Loads the versions each model's policy wants from what its base path holds now (folders there
   * are taken as complete), checks the labels, then polls every {@code settings.pollInterval()}.
   *
   * @throws IllegalArgumentException a label points at a version that is not available
   */
  public static ModelManager start(List<BasePathModel> configs, Settings settings) {
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("no model to serve");
    }
    ModelManager manager = new ModelManager(configs, settings);
    try {
      // On the caller's thread: the poller runs nothing before the schedule below.
      manager.pollAll(true);
      manager.checkLabels();
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    long millis = settings.pollInterval().toMillis();
    if (millis > 0) {
      // pollAll catches what a poll throws, so the schedule runs until close.
      var unused =
          manager.poller.scheduleWithFixedDelay(
              () -> manager.pollAll(false), millis, millis, TimeUnit.MILLISECONDS);
    }
    return manager;
  }

  private void checkLabels() {
    if (settings.labelsForUnavailable()) {
      return;
    }
    for (VersionedModel model : models.values()) {
      model
          .config
          .labels()
          .forEach(
              (label, version) -> {
                if (!model.isAvailable(version)) {
                  throw new IllegalArgumentException(
                      "Request to assign label to version "
                          + version
                          + " of model "
                          + model.config.name()
                          + ", which is not currently available for inference");
                }
              });
    }
  }

  /**
   * Looks at every base path now, as a poll does, and waits for the loads it starts: for a reload
   * on demand, and for tests that poll by hand (with a zero poll interval).
   */
  public void pollNow() throws InterruptedException {
    try {
      poller.submit(() -> pollAll(false)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void pollAll(boolean trustPresent) {
    for (VersionedModel model : models.values()) {
      try {
        model.poll(trustPresent);
      } catch (RuntimeException e) {
        // A bug in one poll must not stop the schedule (the executor drops a task that throws).
        LOG.log(Level.ERROR, "polling " + model.config.basePath() + " failed", e);
      }
    }
  }

  private LoadedVersion load(String name, long version, Path folder) throws InferenceException {
    Path model;
    try {
      model = VersionFolders.modelIn(folder);
    } catch (IOException e) {
      throw new InferenceException(e.getMessage(), e);
    }
    Predictor predictor = Predictor.open(model, settings.trust());
    try {
      predictor.setRunTimeout(settings.runTimeout());
      BatchingConfig batching = settings.batching();
      BatchingPredictor batcher =
          batching.enabled() ? new BatchingPredictor(predictor, batching) : null;
      LoadedVersion loaded = new LoadedVersion(name, version, predictor, batcher, this::closed);
      open.add(loaded);
      return loaded;
    } catch (RuntimeException e) {
      predictor.close();
      throw e;
    }
  }

  private void closed(LoadedVersion version) {
    closedStats.accumulateAndGet(version.batchStats(), BatchingPredictor.Stats::plus);
    open.remove(version);
  }

  @Override
  public Lease acquire(ModelSpec spec) throws ServableNotFoundException {
    VersionedModel model = models.get(spec.name());
    if (model == null) {
      throw ServableNotFoundException.forRequest(spec);
    }
    Long version = spec.version();
    ModelSpec asked = spec;
    if (spec.label() != null) {
      version = model.config.labels().get(spec.label());
      if (version == null) {
        throw ServableNotFoundException.unknownLabel(spec.label());
      }
      asked = new ModelSpec(spec.name(), version, null); // TF Serving reports the version
    }
    Lease lease = model.lease(version);
    if (lease == null) {
      throw ServableNotFoundException.forRequest(asked);
    }
    return lease;
  }

  /** As TF Serving's GetModelStatus: "Could not find version N of model M" when never seen. */
  @Override
  public List<VersionStatus> status(String name, Long version) throws ServableNotFoundException {
    VersionedModel model = models.get(name);
    List<VersionStatus> all = model == null ? List.of() : model.states();
    if (version != null) {
      VersionStatus one = model == null ? null : model.state(version);
      if (one == null) {
        throw new ServableNotFoundException(
            "Could not find version " + version + " of model " + name);
      }
      return List.of(one);
    }
    if (all.isEmpty()) {
      throw new ServableNotFoundException("Could not find any versions of model " + name);
    }
    return all;
  }

  @Override
  public List<String> names() {
    return new ArrayList<>(models.keySet());
  }

  /** Batcher counts since start, over every version loaded (zeros without batching). */
  public BatchingPredictor.Stats batchStats() {
    BatchingPredictor.Stats total = closedStats.get();
    for (LoadedVersion v : open) {
      total = total.plus(v.batchStats());
    }
    return total;
  }

  /** Stops polling, unloads every version, and waits (bounded) for open leases to be closed. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    poller.shutdown();
    boolean interrupted = false;
    try {
      // A load in progress finishes first: its predictor is then unloaded with the rest.
      poller.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    List<LoadedVersion> leaving = new ArrayList<>();
    for (VersionedModel model : models.values()) {
      leaving.addAll(model.unloadAll());
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    for (LoadedVersion v : leaving) {
      try {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (!v.awaitClosed(Math.max(0, left))) {
          LOG.log(
              Level.WARNING,
              "version " + v.version + " of " + v.name + " still leased at close: left loaded");
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
