/**
 * Training checkpoints ({@code train --checkpoint-dir}, {@code --resume}): each a folder {@code
 * ckpt-<step>/} holding every graph variable as raw float32 ({@code variables.bin}) and, written
 * last, {@code meta.json} (position in the run, history so far, checksum, and the run's identity:
 * model config, recipe, seed, dataset checksums). Pure data: nothing read from a checkpoint runs as
 * an op.
 */
package dev.mnistcnn.saving.checkpoint;
