/**
 * Inference: {@link dev.mnistcnn.inference.Predictor} loads a model with a serving signature and
 * classifies 28x28 images; preprocessing turns real digit images into MNIST-style input. Knows
 * nothing of HTTP or the command line.
 */
package dev.mnistcnn.inference;
