/**
 * TensorBoard event files written by TensorFlow's own summary ops ({@code CreateSummaryFileWriter},
 * {@code WriteScalarSummary}, ...) in a small graph of their own, fed from the training loop: the
 * same files and run layout ({@code train/}, {@code validation/}) as Keras's {@code TensorBoard}
 * callback.
 */
package dev.mnistcnn.train.tensorboard;
