/**
 * Keras model files: the Sequential config JSON (to and from {@link dev.mnistcnn.model.ModelSpec}),
 * the Keras 3 {@code .keras} archive, the legacy {@code .h5} file and the weights of SavedModels
 * from Keras's {@code model.export()}. Reading is tolerant of Keras versions and strict about
 * content: nothing from a file is executed, unsupported layers are refused by name.
 */
package dev.mnistcnn.keras;
