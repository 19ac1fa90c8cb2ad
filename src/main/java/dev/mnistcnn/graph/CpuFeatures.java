package dev.mnistcnn.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this machine's processor offers, read from {@code /proc/cpuinfo} (Linux); elsewhere an empty
 * set, which only means "no bf16 fast path". Code paths pick at run time from this, since the same
 * jar runs on machines with and without AMX or AVX512_BF16.
 *
 * @param modelName the processor's marketing name, or "unknown"
 * @param flags the kernel's feature flags, e.g. {@code avx2}, {@code amx_bf16}
 */
public record CpuFeatures(String modelName, Set<String> flags) {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  public CpuFeatures {
    flags = Set.copyOf(flags);
  }

  /** The running machine's processor. */
  public static CpuFeatures current() {
    try {
      return parse(Files.readString(CPUINFO));
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures("unknown", Set.of());
    }
  }

  /** Reads the first processor's {@code model name} and {@code flags} lines. */
  static CpuFeatures parse(String cpuinfo) {
    String model = "unknown";
    Set<String> flags = Set.of();
    for (String line : cpuinfo.split("\n", -1)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("model name") && model.equals("unknown")) {
        model = value;
      } else if (key.equals("flags") && flags.isEmpty()) {
        flags = Arrays.stream(value.split("\\s+")).collect(Collectors.toSet());
      }
    }
    return new CpuFeatures(model, flags);
  }

  /** True when bfloat16 matrix work runs in hardware: AMX tiles or AVX512_BF16 dot products. */
  public boolean hasBf16() {
    return flags.contains("amx_bf16") || flags.contains("avx512_bf16");
  }

  /** The flags that decide TensorFlow's CPU kernels, for benchmark reports and provenance. */
  public String summary() {
    String simd =
        Set.of("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_tile")
            .stream()
            .filter(flags::contains)
            .sorted()
            .collect(Collectors.joining(" "));
    return modelName + (simd.isEmpty() ? "" : " (" + simd + ")");
  }
}
