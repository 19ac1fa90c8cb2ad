/**
 * Inference: {@link dev.mnistcnn.inference.Predictor} classifies 28x28 images with a model that
 * {@code PredictorLoader} opened and checked (format, guard, serving signature); preprocessing
 * turns real digit images into MNIST-style input. Knows nothing of HTTP or the command line.
 */
package dev.mnistcnn.inference;
