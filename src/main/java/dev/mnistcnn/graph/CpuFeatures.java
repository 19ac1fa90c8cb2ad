package dev.mnistcnn.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this machine's processor offers, read from {@code /proc/cpuinfo} (Linux); elsewhere an empty
 * set, which only means "no bf16 fast path". Code paths pick at run time from this, since the same
 * jar runs on machines with and without AMX or AVX512_BF16.
 *
 * <p>For testing, {@value #SIMULATE_VARIABLE} (or the system property {@value #SIMULATE_PROPERTY})
 * replaces the detected features with those of one processor family ({@link Family}), so that the
 * decisions that depend on the processor (the {@code auto} precision, the bf16 refusal, what
 * provenance records) can be exercised for every family on any machine. It changes decisions only:
 * TensorFlow still runs the kernels of the real processor.
 *
 * @param vendor the kernel's {@code vendor_id}, e.g. {@code GenuineIntel}, {@code AuthenticAMD}, or
 *     "unknown"
 * @param modelName the processor's marketing name, or "unknown"
 * @param flags the kernel's feature flags, e.g. {@code avx2}, {@code amx_bf16}
 */
public record CpuFeatures(String vendor, String modelName, Set<String> flags) {
  /** The vendor id of AMD processors. */
  public static final String AMD = "AuthenticAMD";

  /** The vendor id of Intel processors. */
  public static final String INTEL = "GenuineIntel";

  /** Environment variable naming a {@link Family} to simulate (for testing). */
  public static final String SIMULATE_VARIABLE = "MNIST_CNN_SIMULATE_CPU";

  /** System property naming a {@link Family} to simulate; wins over the environment. */
  public static final String SIMULATE_PROPERTY = "mnistcnn.simulateCpu";

  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  /** The processor families this project has measured, as far as its code paths tell them apart. */
  public enum Family {
    /** AVX2 and FMA, no AVX-512 (e.g. AMD EPYC Zen 3). */
    AVX2(AMD),
    /** Intel AVX-512 with bf16 dot products and VNNI, no AMX (e.g. a Xeon whose AMX is hidden). */
    AVX512_BF16(INTEL),
    /** AMD AVX-512 with bf16 dot products (Zen 4 and later), where bf16 doubles MatMul speed. */
    AMD_AVX512_BF16(AMD),
    /** Intel AVX-512 and AMX tiles (e.g. Xeon Sapphire Rapids). */
    AMX(INTEL);

    private final String vendor;

    Family(String vendor) {
      this.vendor = vendor;
    }

    /**
     * The name used in {@value #SIMULATE_VARIABLE}: {@code avx2}, {@code avx512_bf16}, {@code amx}.
     */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The feature flags a processor of this family reports (those our decisions read). */
    Set<String> flags() {
      Set<String> all =
          new HashSet<>(Set.of("sse", "sse2", "sse4_1", "sse4_2", "avx", "avx2", "fma"));
      if (this != AVX2) { // every AVX-512 family here has bf16 dot products
        all.addAll(Set.of("avx512f", "avx512bw", "avx512_vnni", "avx512_bf16"));
      }
      if (this == AMX) {
        all.addAll(Set.of("amx_tile", "amx_bf16"));
      }
      return all;
    }

    static Family parse(String name) {
      for (Family f : values()) {
        if (f.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          SIMULATE_VARIABLE
              + " must be avx2, avx512_bf16, amd_avx512_bf16 or amx (a processor family to"
              + " simulate), got '"
              + name
              + "'");
    }
  }

  public CpuFeatures {
    flags = Set.copyOf(flags);
  }

  /** A processor of unknown vendor. */
  public CpuFeatures(String modelName, Set<String> flags) {
    this("unknown", modelName, flags);
  }

  /**
   * The processor that decisions are made for: the detected one, or the simulated family named by
   * {@value #SIMULATE_PROPERTY} / {@value #SIMULATE_VARIABLE}.
   *
   * @throws IllegalArgumentException when the simulated family is not one of {@link Family}
   */
  public static CpuFeatures current() {
    String family = System.getProperty(SIMULATE_PROPERTY, System.getenv(SIMULATE_VARIABLE));
    CpuFeatures detected = detected();
    return family == null || family.isBlank()
        ? detected
        : simulated(Family.parse(family), detected);
  }

  /** The running machine's real processor, whatever is simulated (TensorFlow's kernels use it). */
  public static CpuFeatures detected() {
    try {
      return parse(Files.readString(CPUINFO));
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures("unknown", "unknown", Set.of());
    }
  }

  /** A {@code family} processor, named so that no report mistakes it for {@code real}. */
  public static CpuFeatures simulated(Family family, CpuFeatures real) {
    return new CpuFeatures(
        family.vendor, "simulated " + family.cliName() + " on " + real.modelName(), family.flags());
  }

  /** Reads the first processor's {@code vendor_id}, {@code model name} and {@code flags} lines. */
  static CpuFeatures parse(String cpuinfo) {
    String vendor = "unknown";
    String model = "unknown";
    Set<String> flags = Set.of();
    for (String line : cpuinfo.split("\n", -1)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("vendor_id") && vendor.equals("unknown")) {
        vendor = value;
      } else if (key.equals("model name") && model.equals("unknown")) {
        model = value;
      } else if (key.equals("flags") && flags.isEmpty()) {
        flags = Arrays.stream(value.split("\\s+")).collect(Collectors.toSet());
      }
    }
    return new CpuFeatures(vendor, model, flags);
  }

  /** True when bfloat16 matrix work runs in hardware: AMX tiles or AVX512_BF16 dot products. */
  public boolean hasBf16() {
    return hasAmx() || flags.contains("avx512_bf16");
  }

  /**
   * True when the processor has AMX tiles for bf16: the one family where bf16 training measured
   * faster than fp32 (AVX512_BF16 alone was slower, see docs/training.md).
   */
  public boolean hasAmx() {
    return flags.contains("amx_bf16") || flags.contains("amx_tile");
  }

  /**
   * True on AMD processors with AVX512_BF16 (Zen 4 and later): their bf16 dot products run at twice
   * the fp32 FMA rate, so bf16 training measured 1.6x faster than fp32 (5.1-7.6 against 9.3-12.3
   * s/epoch, docs/training.md), where Intel's without AMX measured slower.
   */
  public boolean hasFastAvx512Bf16() {
    return vendor.equals(AMD) && flags.contains("avx512_bf16");
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
