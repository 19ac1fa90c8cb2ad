/**
 * Files on disk: SavedModel export and import, model format detection, provenance records and
 * atomic writes. The Keras file formats live in {@code dev.mnistcnn.keras}.
 */
package dev.mnistcnn.io;
