/**
 * Which models and versions are served, independent of the wire: the REST API ({@link
 * dev.mnistcnn.serve}) and gRPC both ask {@link dev.mnistcnn.serve.models.ServedModels} for a
 * version by name, number or label, hold it through a {@link dev.mnistcnn.serve.models.Lease} while
 * they run it, and report TF Serving's version states. Nothing here knows HTTP or gRPC.
 *
 * <p>{@link dev.mnistcnn.serve.models.SingleModel} is {@code serve --model}'s one version; {@link
 * dev.mnistcnn.serve.models.ModelManager} serves base paths of numbered version folders as TF
 * Serving does (version policies, labels, polling, unload after the last lease), configured by TF
 * Serving's text-format files ({@link dev.mnistcnn.serve.models.ModelServerConfigFile}, {@link
 * dev.mnistcnn.serve.models.BatchingParametersFile}; their messages are generated from our copies
 * of TF Serving's .proto files into {@code serve.models.proto}).
 */
package dev.mnistcnn.serve.models;
