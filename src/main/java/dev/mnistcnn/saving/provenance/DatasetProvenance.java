package dev.mnistcnn.saving.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The data a model was trained and tested on.
 *
 * @param name dataset name ({@code mnist}, {@code fashion})
 * @param sha256 file name -> SHA-256 of each file read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetProvenance(String name, Map<String, String> sha256) {}
