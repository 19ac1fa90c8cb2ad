package dev.mnistcnn.serve.models;

import dev.mnistcnn.inference.InferenceException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One model's versions: what its base path holds, what its policy wants, what is loaded. {@link
 * #poll} runs on one thread at a time (the manager's); requests read {@link #serving}, an immutable
 * map replaced whole, so a request sees a version either fully loaded or not at all.
 *
 * <p>A folder is loaded once its listing is the same at two polls running (a copy in progress
 * changes it); folders present at start are taken as complete. A load that fails while the folder
 * was still changing is tried again once it is still; one that fails on a still folder is final
 * until the folder changes. A version leaves when its folder goes, or when the policy no longer
 * wants it and a wanted version is available (so a failed newer version leaves the old serving).
 */
final class VersionedModel {
  /** Opens one version folder with the server's checks; the result is the caller's. */
  @FunctionalInterface
  interface Loader {
    LoadedVersion load(String name, long version, Path folder) throws InferenceException;
  }

  private static final System.Logger LOG = System.getLogger(VersionedModel.class.getName());

  final BasePathModel config;
  private final Loader loader;

  /** Versions answering requests, replaced whole on every change. */
  private volatile NavigableMap<Long, LoadedVersion> serving = Collections.emptyNavigableMap();

  /** Every version seen and its state, newest first (TF Serving's model_version_status). */
  private final ConcurrentSkipListMap<Long, VersionStatus> states =
      new ConcurrentSkipListMap<>(Collections.reverseOrder());

  // Used by the polling thread only:
  private final NavigableMap<Long, LoadedVersion> loaded = new TreeMap<>();
  private final Map<Long, String> failedListings = new HashMap<>();
  private Map<Long, String> lastListings = Map.of();

  VersionedModel(BasePathModel config, Loader loader) {
    this.config = config;
    this.loader = loader;
  }

  /** The version a request asks for, leased; null if not available. */
  Lease lease(Long version) {
    while (true) {
      NavigableMap<Long, LoadedVersion> now = serving;
      LoadedVersion v =
          version == null ? (now.isEmpty() ? null : now.lastEntry().getValue()) : now.get(version);
      if (v == null) {
        return null;
      }
      Lease lease = v.lease();
      if (lease != null) {
        return lease;
      }
      // Retired between our read and the lease: the map was replaced before the retirement.
    }
  }

  boolean isAvailable(long version) {
    return serving.containsKey(version);
  }

  List<VersionStatus> states() {
    return new ArrayList<>(states.values());
  }

  VersionStatus state(long version) {
    return states.get(version);
  }

  /**
   * Looks at the base path and loads or unloads what it calls for.
   *
   * @param trustPresent take every folder found as complete (the first poll, at start)
   */
  void poll(boolean trustPresent) {
    Map<Long, String> listings;
    try {
      listings = VersionFolders.scan(config.basePath());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list " + config.basePath() + ": " + e.getMessage());
      return;
    }
    Set<Long> candidates = new TreeSet<>();
    for (Map.Entry<Long, String> e : listings.entrySet()) {
      long version = e.getKey();
      String failedAs = failedListings.get(version);
      if (failedAs != null && !failedAs.equals(e.getValue())) {
        failedListings.remove(version); // changed since its load failed: try again once still
        states.put(version, VersionStatus.ok(version, VersionStatus.State.START));
      }
      if (trustPresent
          || e.getValue().equals(lastListings.get(version))
          || loaded.containsKey(version)) {
        candidates.add(version);
      }
    }
    lastListings = listings;
    List<Long> wanted = config.policy().select(candidates);
    for (long version : wanted) {
      if (!loaded.containsKey(version) && !failedListings.containsKey(version)) {
        load(version, listings.get(version));
      }
    }
    boolean wantedAvailable = wanted.stream().anyMatch(loaded::containsKey);
    for (long version : new ArrayList<>(loaded.keySet())) {
      if (!listings.containsKey(version) || (!wanted.contains(version) && wantedAvailable)) {
        unload(version);
      }
    }
  }

  private void load(long version, String listing) {
    Path folder = config.basePath().resolve(Long.toString(version));
    states.put(version, VersionStatus.ok(version, VersionStatus.State.LOADING));
    LoadedVersion opened;
    try {
      opened = loader.load(config.name(), version, folder);
    } catch (InferenceException | RuntimeException | OutOfMemoryError e) {
      String now = VersionFolders.listing(folder);
      if (!listing.equals(now)) {
        stillChanging(version, now);
        return;
      }
      failedListings.put(version, listing);
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      states.put(version, new VersionStatus(version, VersionStatus.State.END, "UNKNOWN", message));
      LOG.log(
          Level.WARNING,
          "loading version " + version + " of " + config.name() + " failed: " + message);
      return;
    }
    String now = VersionFolders.listing(folder);
    if (!listing.equals(now)) {
      opened.retire(() -> {}); // loaded from files still being written: load the finished ones
      stillChanging(version, now);
      return;
    }
    loaded.put(version, opened);
    publish();
    states.put(version, VersionStatus.ok(version, VersionStatus.State.AVAILABLE));
    LOG.log(Level.INFO, "serving version " + version + " of " + config.name());
  }

  /** Back to waiting: loaded once its listing stays as it is now for a poll. */
  private void stillChanging(long version, String listingNow) {
    Map<Long, String> listings = new HashMap<>(lastListings);
    if (listingNow == null) {
      listings.remove(version);
    } else {
      listings.put(version, listingNow);
    }
    lastListings = listings;
    states.put(version, VersionStatus.ok(version, VersionStatus.State.START));
  }

  private void unload(long version) {
    LoadedVersion v = loaded.remove(version);
    publish();
    VersionStatus unloading = VersionStatus.ok(version, VersionStatus.State.UNLOADING);
    states.put(version, unloading);
    // Only if still unloading: the policy may have loaded the version again meanwhile.
    v.retire(
        () ->
            states.replace(version, unloading, VersionStatus.ok(version, VersionStatus.State.END)));
    LOG.log(Level.INFO, "unloading version " + version + " of " + config.name());
  }

  /** Unloads every version (the server is closing); returns them to wait for. */
  List<LoadedVersion> unloadAll() {
    List<LoadedVersion> all = new ArrayList<>(loaded.values());
    for (long version : new ArrayList<>(loaded.keySet())) {
      unload(version);
    }
    return all;
  }

  private void publish() {
    serving = Collections.unmodifiableNavigableMap(new TreeMap<>(loaded));
  }
}
