/**
 * Training in a TensorFlow {@code Session}: the recipe ({@link dev.mnistcnn.train.TrainingConfig}),
 * the {@link dev.mnistcnn.train.Trainer} with Adam and categorical cross-entropy, listeners that
 * report progress Keras-style, and {@link dev.mnistcnn.train.TrainingRun}, a whole run (resume,
 * fit, evaluate) with its checkpoints and model file left to the caller.
 */
package dev.mnistcnn.train;
