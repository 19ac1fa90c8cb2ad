package dev.mnistcnn.saving.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.files.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * How a model was made, written beside every export as {@value #FILE_NAME} (typed in parts, as
 * Tribuo's {@code ModelProvenance} is): where it came from, the software versions, the dataset, the
 * trainer's recipe and seed, the results, and the model's Keras config so the file alone describes
 * the network. Files of the older flat shape (recipe, seed, dataset name and checksums at the top
 * level) read into the same parts.
 *
 * @param origin what produced it, e.g. {@code "mnist-cnn train"} or {@code "converted from
 *     x.keras"}
 * @param dataset the data trained and tested on, or null when not trained here
 * @param trainer recipe and seed, or null when not trained here
 * @param results final test figures and per-epoch history, or null when not trained here
 * @param selection how this particular model was chosen, when several were trained
 * @param parent the provenance of the model this one was fine-tuned or converted from, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
    String createdAt,
    String origin,
    Versions versions,
    DatasetProvenance dataset,
    TrainerProvenance trainer,
    ResultProvenance results,
    String selection,
    JsonNode modelConfig,
    Provenance parent) {

  public static final String FILE_NAME = "provenance.json";

  private static final ObjectWriter WRITER =
      Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

  /** Fields this version does not know are passed over. */
  private static final ObjectReader READER =
      Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * A new record stamped now.
   *
   * @param versions the runtime's, from {@code graph.RuntimeVersions.current()}
   */
  public static Provenance create(
      Versions versions,
      String origin,
      DatasetProvenance dataset,
      TrainerProvenance trainer,
      ResultProvenance results,
      String selection,
      JsonNode modelConfig,
      Provenance parent) {
    return new Provenance(
        Instant.now().toString(),
        origin,
        versions,
        dataset,
        trainer,
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
      String origin, Versions versions, String createdAt, JsonNode modelConfig) {
    return new Provenance(createdAt, origin, versions, null, null, null, null, modelConfig, null);
  }

  /** A record made here from a model read from {@code source}: origin, versions, parent. */
  public static Provenance derived(
      Versions versions, String origin, JsonNode modelConfig, Provenance parent) {
    return create(versions, origin, null, null, null, null, modelConfig, parent);
  }

  public String toJson() {
    try {
      return WRITER.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a record written by {@link #toJson}, now or in the older flat shape. */
  public static Provenance fromJson(JsonNode json) throws IOException {
    return READER.treeToValue(OldShape.upgrade(json), Provenance.class);
  }

  /** As {@link #fromJson(JsonNode)}, from text. */
  public static Provenance fromJson(String json) throws IOException {
    return fromJson(Json.MAPPER.readTree(json));
  }

  public void writeTo(Path file) throws IOException {
    AtomicFiles.writeBytes(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a provenance file, or returns null when there is none. */
  public static Provenance readIfPresent(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return fromJson(Json.MAPPER.readTree(file.toFile()));
    } catch (IOException e) {
      throw new IOException("unreadable provenance file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The flat shape versions 0.1.0 and earlier wrote: {@code recipe}, {@code seed}, {@code dataset}
   * (a name) and {@code datasetSha256} at the top level. Moved into {@code trainer} and {@code
   * dataset} objects, the rest being the same.
   */
  static final class OldShape {
    private OldShape() {}

    static JsonNode upgrade(JsonNode json) {
      if (!(json instanceof ObjectNode old)) {
        return json;
      }
      ObjectNode node = old.deepCopy();
      JsonNode dataset = node.get("dataset");
      if (node.has("datasetSha256") || (dataset != null && !dataset.isObject())) {
        ObjectNode part = Json.MAPPER.createObjectNode();
        if (dataset != null && !dataset.isNull()) {
          part.set("name", dataset);
        }
        if (node.has("datasetSha256")) {
          part.set("sha256", node.remove("datasetSha256"));
        }
        node.set("dataset", part);
      }
      if (!node.has("trainer") && (node.has("recipe") || node.has("seed"))) {
        ObjectNode part = Json.MAPPER.createObjectNode();
        part.set("seed", node.remove("seed"));
        part.set("recipe", node.remove("recipe"));
        node.set("trainer", part);
      }
      if (node.has("parent")) {
        node.set("parent", upgrade(node.get("parent")));
      }
      return node;
    }
  }
}
