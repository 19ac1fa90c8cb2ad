/**
 * The {@code report} page: a model's training curves (from its provenance history), confusion
 * matrix, per-class precision and recall, its most confidently wrong test digits and its
 * provenance, as a self-contained folder of HTML and PNG files. Charts are drawn with XChart, digit
 * grids with Java2D; predictions come from {@link dev.mnistcnn.inference.Predictor}.
 */
package dev.mnistcnn.report;
