/**
 * Training in a TensorFlow {@code Session}: the recipe ({@link dev.mnistcnn.train.TrainingConfig}),
 * the {@link dev.mnistcnn.train.Trainer} with Adam and categorical cross-entropy, and listeners
 * that report progress Keras-style.
 */
package dev.mnistcnn.train;
