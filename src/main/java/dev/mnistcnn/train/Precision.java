package dev.mnistcnn.train;

import dev.mnistcnn.graph.CpuFeatures;
import java.util.Locale;

/**
 * The number format of a training run's matrix work. Weights, Adam's slots and the exported model
 * stay float32 either way; {@link #BF16} lets TensorFlow's oneDNN grappler pass run convolutions
 * and matmuls in bfloat16 (as Keras's {@code mixed_bfloat16} does), which only pays on processors
 * with AMX or AVX512_BF16.
 */
public enum Precision {
  FP32,
  BF16;

  /**
   * Parses {@code auto}, {@code fp32} or {@code bf16}. {@code auto} picks bf16 where the processor
   * computes it in hardware and fp32 elsewhere; an explicit bf16 on a processor without it is
   * refused, since emulated bf16 is slower than fp32 and no more accurate.
   */
  public static Precision parse(String name, CpuFeatures cpu) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "auto" -> cpu.hasBf16() ? BF16 : FP32;
      case "fp32" -> FP32;
      case "bf16" -> {
        if (!cpu.hasBf16()) {
          throw new IllegalArgumentException(
              "--precision bf16 needs a processor with AMX or AVX512_BF16; this one ("
                  + cpu.modelName()
                  + ") has neither: use fp32 or auto");
        }
        yield BF16;
      }
      default ->
          throw new IllegalArgumentException(
              "--precision must be auto, fp32 or bf16, got '" + name + "'");
    };
  }

  /** The name used on the command line and in provenance files. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
