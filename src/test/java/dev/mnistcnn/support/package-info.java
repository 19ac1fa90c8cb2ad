/**
 * What many test classes share: the command line run in-process ({@link Cli}), hand-made PNG files
 * ({@link Png}), the fuzz contract ({@link Fuzz}) and the lone-run answers batched answers are held
 * to ({@link LoneRuns}).
 */
package dev.mnistcnn.support;
