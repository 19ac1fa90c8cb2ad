/**
 * Which models and versions are served, independent of the wire: the REST API ({@link
 * dev.mnistcnn.serve}) and gRPC both ask {@link dev.mnistcnn.serve.models.ServedModels} for a
 * version by name, number or label, hold it through a {@link dev.mnistcnn.serve.models.Lease} while
 * they run it, and report TF Serving's version states. Nothing here knows HTTP or gRPC.
 */
package dev.mnistcnn.serve.models;
