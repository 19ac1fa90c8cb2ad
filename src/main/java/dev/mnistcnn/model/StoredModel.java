package dev.mnistcnn.model;

import dev.mnistcnn.saving.provenance.Provenance;

/**
 * A model read from disk: its spec and weights, and how it was made. For files made elsewhere
 * (Keras) the provenance is {@link Provenance#foreign foreign}: what the file itself says.
 */
public record StoredModel(ModelWeights weights, Provenance provenance) {}
