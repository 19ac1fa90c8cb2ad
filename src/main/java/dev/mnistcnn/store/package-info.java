/**
 * What every model format stores beside the weights: the {@link dev.mnistcnn.store.Provenance}
 * record (how a model was made) and {@link dev.mnistcnn.store.StoredModel} (weights plus
 * provenance, what each format's reader returns). Shared by {@code keras} and {@code io}, so that
 * neither needs the other for it.
 */
package dev.mnistcnn.store;
