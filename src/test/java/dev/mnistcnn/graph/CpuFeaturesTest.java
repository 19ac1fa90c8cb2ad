package dev.mnistcnn.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tier.FAST)
class CpuFeaturesTest {
  private static final String SAPPHIRE_RAPIDS =
      """
      processor\t: 0
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Xeon(R) Platinum 8480+
      flags\t\t: fpu sse avx2 fma avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile
      processor\t: 1
      model name\t: ignored second core
      flags\t\t: fpu
      """;

  private static final String ZEN3 =
      """
      processor\t: 0
      model name\t: AMD EPYC
      flags\t\t: fpu sse avx2 fma
      """;

  @Test
  void readsTheFirstProcessorsModelAndFlags() {
    CpuFeatures cpu = CpuFeatures.parse(SAPPHIRE_RAPIDS);
    assertEquals(CpuFeatures.INTEL, cpu.vendor());
    assertEquals("Intel(R) Xeon(R) Platinum 8480+", cpu.modelName());
    assertTrue(cpu.hasAmx());
    assertFalse(cpu.hasFastAvx512Bf16(), "Intel's bf16 without AMX is not the fast kind");
    assertTrue(cpu.hasBf16());
    assertEquals(
        "Intel(R) Xeon(R) Platinum 8480+ (amx_bf16 amx_tile avx2 avx512_bf16 avx512_vnni avx512f"
            + " fma)",
        cpu.summary());
  }

  @Test
  void anAmdProcessorWithAvx512Bf16HasTheFastKind() {
    CpuFeatures cpu =
        CpuFeatures.parse(
            """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9R14
            flags\t\t: fpu sse2 avx2 fma avx512f avx512_vnni avx512_bf16
            """);
    assertEquals(CpuFeatures.AMD, cpu.vendor());
    assertTrue(cpu.hasBf16() && cpu.hasFastAvx512Bf16() && !cpu.hasAmx(), cpu.toString());
  }

  @Test
  void anAvx2MachineHasNoBf16() {
    CpuFeatures cpu = CpuFeatures.parse(ZEN3);
    assertFalse(cpu.hasBf16());
    assertEquals("AMD EPYC (avx2 fma)", cpu.summary());
  }

  @Test
  void unreadableInfoMeansNoFastPath() {
    CpuFeatures cpu = CpuFeatures.parse("garbage without colons");
    assertEquals("unknown", cpu.modelName());
    assertFalse(cpu.hasBf16());
  }

  @Test
  void aSimulatedFamilyReplacesTheDetectedFlagsAndSaysSo() {
    String before = System.getProperty(CpuFeatures.SIMULATE_PROPERTY);
    try {
      System.setProperty(CpuFeatures.SIMULATE_PROPERTY, "amx");
      CpuFeatures amx = CpuFeatures.current();
      assertTrue(amx.hasAmx() && amx.hasBf16(), amx.toString());
      assertTrue(amx.modelName().startsWith("simulated amx on "), amx.modelName());
      System.setProperty(CpuFeatures.SIMULATE_PROPERTY, "AVX512_BF16");
      CpuFeatures xeon = CpuFeatures.current();
      assertTrue(xeon.hasBf16() && !xeon.hasAmx() && !xeon.hasFastAvx512Bf16(), xeon.toString());
      System.setProperty(CpuFeatures.SIMULATE_PROPERTY, "amd_avx512_bf16");
      CpuFeatures zen4Amd = CpuFeatures.current();
      assertTrue(zen4Amd.hasFastAvx512Bf16() && !zen4Amd.hasAmx(), zen4Amd.toString());
      assertEquals(CpuFeatures.AMD, zen4Amd.vendor());
      System.setProperty(CpuFeatures.SIMULATE_PROPERTY, "avx2");
      CpuFeatures avx2 = CpuFeatures.current();
      assertFalse(avx2.hasBf16() || avx2.flags().contains("avx512f"), avx2.toString());
      assertTrue(avx2.flags().containsAll(java.util.Set.of("avx2", "fma", "sse2")));
      assertFalse(CpuFeatures.detected().modelName().startsWith("simulated"));
      System.setProperty(CpuFeatures.SIMULATE_PROPERTY, "pentium");
      var e = assertThrows(IllegalArgumentException.class, CpuFeatures::current);
      assertEquals(
          "MNIST_CNN_SIMULATE_CPU must be avx2, avx512_bf16, amd_avx512_bf16 or amx (a processor"
              + " family to simulate), got 'pentium'",
          e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(CpuFeatures.SIMULATE_PROPERTY);
      } else {
        System.setProperty(CpuFeatures.SIMULATE_PROPERTY, before);
      }
    }
  }

  @Test
  void theRunningMachineIsDescribed() {
    CpuFeatures cpu = CpuFeatures.detected();
    // CI and development machines are Linux x86-64: every one of them has at least SSE.
    assertFalse(cpu.modelName().isBlank());
    assertTrue(cpu.flags().contains("sse2"), cpu.flags().toString());
  }
}
