/**
 * Models on disk, in one tree as Keras keeps them in {@code saving/}: {@code provenance} (how a
 * model was made), {@code keras} (.keras, .h5, config JSON), {@code savedmodel}, {@code
 * checkpoint}; and here the one place that picks a format: {@link dev.mnistcnn.saving.ModelFormat}
 * detection, {@link dev.mnistcnn.saving.ModelReader}, {@link dev.mnistcnn.saving.ModelWriter} and
 * what an output path may hold ({@link dev.mnistcnn.saving.OutputPolicy}). The subpackages sit at
 * different heights of the package order (CONTRIBUTING.md): provenance below everything that
 * produces it, Keras files below the graph.
 */
package dev.mnistcnn.saving;
