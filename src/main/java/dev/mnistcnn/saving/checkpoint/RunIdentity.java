package dev.mnistcnn.saving.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a checkpoint must share with a run to be resumed by it: the model (its Keras config), the
 * recipe, the seed and the dataset's checksums. More epochs are allowed (that is how a run is
 * extended), and so is a change of {@code deterministic}, which changes how the arithmetic is
 * scheduled, not what is computed.
 *
 * @param model the Keras model config
 * @param recipe {@link TrainingConfig#describe()} as JSON
 * @param datasetSha256 the dataset's file checksums
 */
public record RunIdentity(
    JsonNode model, JsonNode recipe, long seed, String dataset, Map<String, String> datasetSha256) {
  /** Recipe entries that may differ between a checkpoint and the run that resumes it. */
  private static final Set<String> MAY_DIFFER = Set.of("epochs", "deterministic");

  public RunIdentity {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(dataset, "dataset");
    datasetSha256 = Map.copyOf(datasetSha256);
  }

  public static RunIdentity of(
      JsonNode model, TrainingConfig config, String dataset, Map<String, String> sha256) {
    return new RunIdentity(
        asRead(model), asRead(config.describe()), config.seed(), dataset, sha256);
  }

  /**
   * {@code value} as it reads back from JSON text, so that it compares equal to a stored copy (a
   * float 0.001 becomes the double that "0.001" parses to).
   */
  private static JsonNode asRead(Object value) {
    try {
      return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not representable as JSON: " + value, e);
    }
  }

  /**
   * Null when a run with this identity may resume a checkpoint of {@code saved}; else what differs,
   * as a phrase ("another recipe (batch_size: 100 there, 200 here)").
   */
  public String differenceFrom(RunIdentity saved) {
    if (!model.equals(saved.model)) {
      return "another model (its layers differ from this run's)";
    }
    if (!dataset.equals(saved.dataset) || !datasetSha256.equals(saved.datasetSha256)) {
      return "another dataset (" + saved.dataset + " with other checksums)";
    }
    if (seed != saved.seed) {
      return "another seed (" + saved.seed + " there, " + seed + " here)";
    }
    List<String> differences = new ArrayList<>();
    for (String field : fieldNames(recipe, saved.recipe)) {
      JsonNode here = recipe.path(field);
      JsonNode there = saved.recipe.path(field);
      if (!MAY_DIFFER.contains(field) && !here.equals(there)) {
        differences.add(field + ": " + shown(there) + " there, " + shown(here) + " here");
      }
    }
    return differences.isEmpty() ? null : "another recipe (" + String.join("; ", differences) + ")";
  }

  /** A recipe value for the message; a key the recipe leaves out (its seed default) is "none". */
  private static String shown(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "none" : value.toString();
  }

  private static Set<String> fieldNames(JsonNode a, JsonNode b) {
    Set<String> names = new TreeSet<>();
    for (JsonNode node : List.of(a, b)) {
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
    }
    return names;
  }
}
