/**
 * Keras model files, laid out as Keras's {@code saving} writes them: the Sequential config JSON (to
 * and from {@link dev.mnistcnn.model.ModelSpec}), the Keras 3 {@code .keras} archive and the legacy
 * {@code .h5} file. Reading is tolerant of Keras versions and strict about content: nothing from a
 * file is executed, unsupported layers are refused by name. Uses only {@code model}, {@code
 * saving.provenance} and {@code files}, so it sits below {@code graph} and {@code train}; which
 * reader serves which file is decided in {@code saving}.
 */
package dev.mnistcnn.saving.keras;
