package dev.mnistcnn.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.graph.CpuFeatures;
import dev.mnistcnn.graph.SessionConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.TensorFlow;

/**
 * How a model was made, written beside every export as {@value #FILE_NAME} (as Tribuo records
 * provenance): where it came from, the recipe and seed, the dataset checksums, the results, the
 * software versions, and the model's Keras config so the file alone describes the network.
 *
 * @param origin what produced it, e.g. {@code "mnist-cnn train"} or {@code "converted from
 *     x.keras"}
 * @param recipe training settings (epochs, batch size, optimizer, ...), empty when not trained here
 * @param seed the run's seed, or null when not trained here
 * @param dataset dataset name ({@code mnist}, {@code fashion}) or null
 * @param datasetSha256 file name -> SHA-256 of the data the model was trained and tested on
 * @param results final metrics (test accuracy, loss, per-epoch history, ...)
 * @param selection how this particular model was chosen, when several were trained
 * @param parent the provenance of the model this one was fine-tuned or converted from, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
    String createdAt,
    String origin,
    Map<String, String> versions,
    Map<String, Object> recipe,
    Long seed,
    String dataset,
    Map<String, String> datasetSha256,
    Map<String, Object> results,
    String selection,
    JsonNode modelConfig,
    Provenance parent) {

  public static final String FILE_NAME = "provenance.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Versions of everything that shaped the model: this program, TensorFlow, Java, the OS. */
  public static Map<String, String> currentVersions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("mnist-cnn", projectVersion());
    v.put("tensorflow", TensorFlow.version());
    v.put("tensorflow-java", "1.1.0");
    v.put("java", System.getProperty("java.version"));
    v.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    // The kernels TensorFlow picks depend on these: a model's speed and last bits follow them.
    CpuFeatures cpu = CpuFeatures.current();
    v.put("cpu", cpu.summary());
    v.put("onednn", SessionConfigs.oneDnnEnabled(cpu) ? "on" : "off");
    return v;
  }

  /** A new record stamped now with the current versions. */
  public static Provenance create(
      String origin,
      Map<String, Object> recipe,
      Long seed,
      String dataset,
      Map<String, String> datasetSha256,
      Map<String, Object> results,
      String selection,
      JsonNode modelConfig,
      Provenance parent) {
    return new Provenance(
        Instant.now().toString(),
        origin,
        currentVersions(),
        recipe,
        seed,
        dataset,
        datasetSha256,
        results,
        selection,
        modelConfig,
        parent);
  }

  /**
   * The provenance of a model made elsewhere (Keras, another tool), from what its file says: no
   * recipe, no seed, only where it came from and the versions it names.
   */
  public static Provenance foreign(
      String origin, Map<String, String> versions, String createdAt, JsonNode modelConfig) {
    return new Provenance(
        createdAt, origin, versions, null, null, null, null, null, null, modelConfig, null);
  }

  /** A record made here from a model read from {@code source}: origin, versions, parent. */
  public static Provenance derived(String origin, JsonNode modelConfig, Provenance parent) {
    return create(origin, null, null, null, null, null, null, modelConfig, parent);
  }

  public static String projectVersion() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a record written by {@link #toJson}. */
  public static Provenance fromJson(JsonNode json) throws IOException {
    return JSON.treeToValue(json, Provenance.class);
  }

  /** As {@link #fromJson(JsonNode)}, from text. */
  public static Provenance fromJson(String json) throws IOException {
    return JSON.readValue(json, Provenance.class);
  }

  public void writeTo(Path file) throws IOException {
    AtomicFiles.writeBytes(file, toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Reads a provenance file, or returns null when there is none. */
  public static Provenance readIfPresent(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), Provenance.class);
    } catch (IOException e) {
      throw new IOException("unreadable provenance file " + file + ": " + e.getMessage(), e);
    }
  }
}
