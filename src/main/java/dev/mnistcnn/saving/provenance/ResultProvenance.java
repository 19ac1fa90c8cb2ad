package dev.mnistcnn.saving.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What training achieved: the final test figures and the per-epoch history. The JSON names are
 * those tools/ scripts read ({@code results.test_accuracy}, {@code results.history}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultProvenance(
    @JsonProperty("test_accuracy") Double testAccuracy,
    @JsonProperty("test_loss") Double testLoss,
    @JsonProperty("test_samples") Integer testSamples,
    List<EpochMetrics> history) {}
