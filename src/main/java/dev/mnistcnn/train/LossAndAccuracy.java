package dev.mnistcnn.train;

/** Mean loss and accuracy over a set of examples. */
public record LossAndAccuracy(double loss, double accuracy, int samples) {}
