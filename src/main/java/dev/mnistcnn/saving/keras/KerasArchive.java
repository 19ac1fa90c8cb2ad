package dev.mnistcnn.saving.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.files.WriteFailures;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.provenance.Versions;
import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Keras 3 native format: a zip (or, since Keras 3.4, a directory) holding {@code
 * metadata.json}, {@code config.json} and {@code model.weights.h5}, members stored uncompressed as
 * Keras writes them. Our provenance travels in {@code metadata.json} under {@value
 * #PROVENANCE_KEY}: Keras never reads that file.
 */
public final class KerasArchive {
  static final String METADATA = "metadata.json";
  static final String CONFIG = "config.json";
  static final String PROVENANCE_KEY = "mnist_cnn_provenance";

  private static final long JSON_LIMIT = 16L << 20;
  private static final long WEIGHTS_LIMIT = 1L << 30;
  private static final long TOTAL_LIMIT = WEIGHTS_LIMIT + 2 * JSON_LIMIT;

  private KerasArchive() {}

  /** Reads a {@code .keras} zip or directory: spec from config.json, weights shape-checked. */
  public static StoredModel read(Path path) throws IOException {
    Map<String, byte[]> json = new LinkedHashMap<>();
    try {
      if (Files.isDirectory(path)) {
        for (String name : new String[] {METADATA, CONFIG}) {
          Path file = path.resolve(name);
          if (Files.isRegularFile(file)) {
            json.put(name, readLimited(file));
          }
        }
        ModelSpec spec = parseConfig(path, json.get(CONFIG));
        try (HdfFile h5 = new HdfFile(path.resolve(WeightsH5.FILE_NAME))) {
          return stored(path, json, WeightsH5.read(h5, spec));
        }
      }
      Map<String, byte[]> entries =
          SafeZip.read(
              path,
              Map.of(METADATA, JSON_LIMIT, CONFIG, JSON_LIMIT, WeightsH5.FILE_NAME, WEIGHTS_LIMIT),
              TOTAL_LIMIT);
      ModelSpec spec = parseConfig(path, entries.get(CONFIG));
      byte[] weights = entries.get(WeightsH5.FILE_NAME);
      if (weights == null) {
        throw new IOException(path + ": no " + WeightsH5.FILE_NAME + " in the archive");
      }
      try (HdfFile h5 = HdfFile.fromBytes(weights)) {
        return stored(path, entries, WeightsH5.read(h5, spec));
      }
    } catch (IllegalArgumentException | HdfException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw H5Nodes.corrupt(path, e);
    }
  }

  private static byte[] readLimited(Path file) throws IOException {
    if (Files.size(file) > JSON_LIMIT) {
      throw new IOException(file + " is larger than " + JSON_LIMIT + " bytes");
    }
    return Files.readAllBytes(file);
  }

  private static ModelSpec parseConfig(Path path, byte[] config) throws IOException {
    if (config == null) {
      throw new IOException(path + ": no " + CONFIG + " (not a Keras 3 model file)");
    }
    return KerasModelConfig.parse(json(path, CONFIG, config));
  }

  private static JsonNode json(Path path, String name, byte[] bytes) throws IOException {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IOException(path + ": " + name + " is not valid JSON", e);
    }
  }

  private static StoredModel stored(Path path, Map<String, byte[]> json, ModelWeights weights)
      throws IOException {
    JsonNode metadata =
        json.containsKey(METADATA) ? json(path, METADATA, json.get(METADATA)) : null;
    JsonNode ours = metadata == null ? null : metadata.get(PROVENANCE_KEY);
    if (ours != null && ours.isObject()) {
      return new StoredModel(weights, Provenance.fromJson(ours));
    }
    return new StoredModel(
        weights,
        madeByKeras(
            ".keras file " + path.getFileName(),
            metadata == null ? null : metadata.path("keras_version").asText(null),
            metadata == null ? null : metadata.path("date_saved").asText(null),
            json(path, CONFIG, json.get(CONFIG))));
  }

  /** The provenance of a file Keras wrote: what the file says of itself. */
  static Provenance madeByKeras(
      String file, String kerasVersion, String savedAt, JsonNode modelConfig) {
    String version = kerasVersion == null ? "unknown" : kerasVersion;
    return Provenance.foreign(
        "Keras " + version + " " + file, Versions.keras(version), savedAt, modelConfig);
  }

  /** Writes a {@code .keras} zip atomically; Keras 3.0 and later load it. */
  public static void write(ModelWeights weights, Provenance provenance, Path target)
      throws IOException {
    ObjectNode metadata = Json.MAPPER.createObjectNode();
    metadata.put("keras_version", KerasModelConfig.KERAS_VERSION);
    metadata.put(
        "date_saved",
        LocalDateTime.now(ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
    metadata.set(PROVENANCE_KEY, Json.MAPPER.readTree(provenance.toJson()));
    byte[] config = Json.MAPPER.writeValueAsBytes(KerasModelConfig.toKeras3(weights.spec()));
    AtomicFiles.writeFile(
        target,
        WriteFailures.naming(
            target,
            HdfException.class,
            tmp -> {
              Path h5 = tmp.resolveSibling(tmp.getFileName() + ".weights.h5");
              try {
                WeightsH5.write(weights, provenance, h5);
                try (OutputStream out = Files.newOutputStream(tmp);
                    ZipOutputStream zip = new ZipOutputStream(out)) {
                  putStored(zip, METADATA, Json.MAPPER.writeValueAsBytes(metadata));
                  putStored(zip, CONFIG, config);
                  putStored(zip, WeightsH5.FILE_NAME, Files.readAllBytes(h5));
                }
              } finally {
                Files.deleteIfExists(h5);
              }
            }));
  }

  /** Keras stores members uncompressed; a stored entry needs its size and CRC up front. */
  private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }
}
