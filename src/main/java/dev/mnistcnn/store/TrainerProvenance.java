package dev.mnistcnn.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mnistcnn.train.TrainingConfig;
import java.util.Map;

/**
 * How a model was trained here.
 *
 * @param seed the run's seed
 * @param recipe the settings, as {@link TrainingConfig#describe()} lists them (epochs, batch size,
 *     optimizer, precision, ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainerProvenance(Long seed, Map<String, Object> recipe) {
  public static TrainerProvenance of(TrainingConfig config) {
    return new TrainerProvenance(config.seed(), config.describe());
  }

  /** The number format of the matrix work ({@code fp32}, {@code bf16}), or null if unrecorded. */
  public String precision() {
    return recipe == null || recipe.get("precision") == null
        ? null
        : recipe.get("precision").toString();
  }
}
