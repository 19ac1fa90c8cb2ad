/**
 * What many test classes share: the command line run in-process ({@link Cli}), hand-made PNG files
 * ({@link Png}), the fuzz contract ({@link Fuzz}), the lone-run answers batched answers are held to
 * ({@link LoneRuns}) and tools/ scripts run in the project's Python venvs ({@link Python}).
 */
package dev.mnistcnn.support;
