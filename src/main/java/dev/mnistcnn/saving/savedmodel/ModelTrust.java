package dev.mnistcnn.saving.savedmodel;

/**
 * Whether a SavedModel's graph is checked against {@link OpAllowlist} before TensorFlow loads it. A
 * SavedModel is a program: like Keras's {@code safe_mode}, the default refuses what a model of the
 * supported layers never needs.
 */
public enum ModelTrust {
  /** The default: refuse a SavedModel holding ops outside the allowlist or init ops. */
  CHECKED,
  /** The user vouches for the file ({@code --trust-model}): TensorFlow loads it unchecked. */
  TRUSTED
}
