/**
 * Safe file handling, with no knowledge of models or data: atomic writes (temporary + rename, the
 * old file moved aside and back), the repair of what a killed run left beside a target, reads
 * bounded in size, and the program's one JSON mapper. The bottom of the package order: every
 * package may use it, it uses none.
 */
package dev.mnistcnn.files;
