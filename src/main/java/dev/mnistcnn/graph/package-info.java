/**
 * Builds TensorFlow graphs from a {@link dev.mnistcnn.model.ModelSpec}: one variable per Keras
 * weight, named by its Keras path, plus feeding and reading of {@link
 * dev.mnistcnn.model.ModelWeights}. It builds into graphs and reads from sessions its callers own:
 * the packages that open native TensorFlow state (graphs, sessions, SavedModel bundles) are {@code
 * train}, {@code saving.savedmodel} (SavedModel export and import) and {@code inference}, each
 * closing what it opens.
 */
package dev.mnistcnn.graph;
