/**
 * How a model was made, as every model file records it (Tribuo's provenance, in typed parts):
 * {@link dev.mnistcnn.saving.provenance.Provenance} and its parts. Plain records and their JSON,
 * depending on nothing of ours but {@code files}: each producer builds its own part ({@code data}
 * the dataset's, {@code train} the recipe's and the results', {@code graph} the runtime's
 * versions).
 */
package dev.mnistcnn.saving.provenance;
