package dev.mnistcnn.data;

import dev.mnistcnn.saving.provenance.DatasetProvenance;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded, verified dataset: its kind, both splits, and the SHA-256 of each file's decompressed
 * bytes by file name (for provenance records).
 */
public record Dataset(DatasetKind kind, Split train, Split test, Map<String, String> sha256) {
  public Dataset {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
  }

  /** Its part of a model's provenance: the dataset's name and each file's SHA-256. */
  public DatasetProvenance provenance() {
    return new DatasetProvenance(kind.cliName(), sha256);
  }
}
