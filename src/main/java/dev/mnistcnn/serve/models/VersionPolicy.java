package dev.mnistcnn.serve.models;

import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/** TF Serving's {@code model_version_policy}: which of the versions found are served. */
public sealed interface VersionPolicy {
  /** The versions among {@code found} that are served, newest first. */
  List<Long> select(Collection<Long> found);

  /** The {@code versions} highest-numbered versions; TF Serving's default is {@code latest(1)}. */
  record Latest(int versions) implements VersionPolicy {
    public Latest {
      if (versions < 1) {
        throw new IllegalArgumentException(
            "latest num_versions must be 1 or more, got " + versions);
      }
    }

    @Override
    public List<Long> select(Collection<Long> found) {
      return new TreeSet<>(found).descendingSet().stream().limit(versions).toList();
    }
  }

  /** Every version found. */
  record All() implements VersionPolicy {
    @Override
    public List<Long> select(Collection<Long> found) {
      return new TreeSet<>(found).descendingSet().stream().toList();
    }
  }

  /** The listed versions, those of them that are found. */
  record Specific(NavigableSet<Long> versions) implements VersionPolicy {
    public Specific {
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("specific needs at least one version");
      }
      versions = new TreeSet<>(versions);
    }

    public static Specific of(Long... versions) {
      return new Specific(new TreeSet<>(Set.of(versions)));
    }

    @Override
    public List<Long> select(Collection<Long> found) {
      return new TreeSet<>(found).descendingSet().stream().filter(versions::contains).toList();
    }
  }

  static VersionPolicy latest() {
    return new Latest(1);
  }
}
