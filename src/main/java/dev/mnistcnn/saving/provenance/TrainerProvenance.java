package dev.mnistcnn.saving.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * How a model was trained here.
 *
 * @param seed the run's seed
 * @param recipe the settings, as {@code train.TrainingConfig.describe()} lists them (epochs, batch
 *     size, optimizer, precision, ...)
 * @param precisionChoice why the precision was picked when {@code --precision auto} picked it (e.g.
 *     {@code "auto: no AMX"}); null when the user named it. Kept outside {@code recipe}, which is
 *     also a checkpoint's identity: an explicit fp32 and an auto fp32 train the same run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainerProvenance(
    Long seed,
    Map<String, Object> recipe,
    @JsonProperty("precision_choice") String precisionChoice) {

  public TrainerProvenance(Long seed, Map<String, Object> recipe) {
    this(seed, recipe, null);
  }

  /** The number format of the matrix work ({@code fp32}, {@code bf16}), or null if unrecorded. */
  public String precision() {
    return recipe == null || recipe.get("precision") == null
        ? null
        : recipe.get("precision").toString();
  }
}
