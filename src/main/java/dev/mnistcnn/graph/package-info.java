/**
 * Builds TensorFlow graphs from a {@link dev.mnistcnn.model.ModelSpec}: one variable per Keras
 * weight, named by its Keras path, plus feeding and reading of {@link
 * dev.mnistcnn.model.ModelWeights}. The only package (with train and inference) that owns native
 * TensorFlow state.
 */
package dev.mnistcnn.graph;
