/**
 * The one description of a network: layer specs as plain records (their components are the Keras
 * config), {@link dev.mnistcnn.model.ModelSpec} as the ordered stack, and the weights that go with
 * it. Graph building, the summary table, the Keras config and the weight names all derive from
 * here.
 */
package dev.mnistcnn.model;
