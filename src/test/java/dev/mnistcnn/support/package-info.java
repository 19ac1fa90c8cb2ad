/**
 * What many test classes share: the command line run in-process ({@link Cli}), hand-made PNG files
 * ({@link Png}) and the fuzz contract ({@link Fuzz}).
 */
package dev.mnistcnn.support;
