/**
 * The SavedModel format (ours, and Keras's {@code model.export()}): writing and reading it, and the
 * checks of a SavedModel's graph before TensorFlow loads it (op allowlist, graph bounds, the
 * serving signature), which are what makes a model file data rather than code.
 */
package dev.mnistcnn.saving.savedmodel;
