package dev.mnistcnn.train;

import dev.mnistcnn.graph.CpuFeatures;
import java.util.Locale;

/**
 * The number format of a training run's matrix work. Weights, Adam's slots and the exported model
 * stay float32 either way; {@link #BF16} lets TensorFlow's oneDNN grappler pass run convolutions
 * and matmuls in bfloat16 (as Keras's {@code mixed_bfloat16} does), which only pays on processors
 * with AMX.
 */
public enum Precision {
  FP32,
  BF16;

  /**
   * A precision and why it was picked, as the first line of {@code train} and the provenance say
   * it.
   *
   * @param precision the picked format
   * @param reason why, for {@code auto} (e.g. {@code "auto: no AMX"}); null when the user named it
   */
  public record Choice(Precision precision, String reason) {
    /** {@code fp32}, or {@code fp32 (auto: no AMX)}. */
    public String describe() {
      return precision.cliName() + (reason == null ? "" : " (" + reason + ")");
    }
  }

  /**
   * Picks the precision for {@code auto}, {@code fp32} or {@code bf16}. {@code auto} is bf16 only
   * where it measured faster than fp32: with AMX, and on AMD's AVX512_BF16 (Zen 4: bf16 MatMul 397
   * against 209 GFLOP/s fp32, training 1.6x faster). On Intel's AVX512_BF16 without AMX it was
   * slower (MatMul 165 vs 315 GFLOP/s, training 13.0 vs 9.9 s/epoch), so there, on AVX2 and
   * wherever unsure, it is fp32, Keras's default, with which a seed trains the same everywhere. An
   * explicit bf16 is refused where the processor lacks bf16 hardware, since emulated bf16 is slower
   * than fp32 and no more accurate.
   */
  public static Choice choose(String name, CpuFeatures cpu) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "auto" -> auto(cpu);
      case "fp32" -> new Choice(FP32, null);
      case "bf16" -> {
        if (!cpu.hasBf16()) {
          throw new IllegalArgumentException(
              "--precision bf16 needs a processor with AMX or AVX512_BF16; this one ("
                  + cpu.modelName()
                  + ") has neither: use fp32 or auto");
        }
        yield new Choice(BF16, null);
      }
      default ->
          throw new IllegalArgumentException(
              "--precision must be auto, fp32 or bf16, got '" + name + "'");
    };
  }

  private static Choice auto(CpuFeatures cpu) {
    if (cpu.hasAmx()) {
      return new Choice(BF16, "auto: AMX");
    }
    if (cpu.hasFastAvx512Bf16()) {
      return new Choice(BF16, "auto: AMD AVX512_BF16");
    }
    return new Choice(FP32, cpu.hasBf16() ? "auto: no AMX" : "auto: no bf16 hardware");
  }

  /** {@link #choose}'s precision alone. */
  public static Precision parse(String name, CpuFeatures cpu) {
    return choose(name, cpu).precision();
  }

  /** The name used on the command line and in provenance files. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
