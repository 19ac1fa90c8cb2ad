/**
 * Models on disk: the SavedModel format (ours, and Keras's {@code model.export()}), the check of a
 * SavedModel's graph before TensorFlow loads it, and the one place that picks a format: {@link
 * dev.mnistcnn.io.ModelFormat} detection, {@link dev.mnistcnn.io.ModelReader}, {@link
 * dev.mnistcnn.io.ModelWriter} and what an output path may hold ({@link
 * dev.mnistcnn.io.OutputPolicy}). Uses {@code keras} for its files and for the model config our
 * SavedModels carry; {@code keras} never uses this package.
 */
package dev.mnistcnn.io;
