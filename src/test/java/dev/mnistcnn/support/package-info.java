/**
 * What many test classes share: the command line run in-process ({@link Cli}), hand-made PNG files
 * ({@link Png}), the fuzz contract ({@link Fuzz}), the lone-run answers batched answers are held to
 * ({@link LoneRuns}), tools/ scripts run in the project's Python venvs ({@link Python}), a gRPC
 * client of TF Serving's API ({@link Grpc}) and base paths of numbered model versions ({@link
 * ModelVersions}).
 */
package dev.mnistcnn.support;
