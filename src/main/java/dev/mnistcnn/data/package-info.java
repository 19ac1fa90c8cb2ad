/**
 * IDX files, dataset sources and checksums, batches: reading MNIST-style IDX files (raw or gzip),
 * fetching MNIST when it is missing, checking every file against a known SHA-256, and turning the
 * pixels into float batches.
 */
package dev.mnistcnn.data;
