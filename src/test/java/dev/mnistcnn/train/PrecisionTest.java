package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.graph.CpuFeatures;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tier.FAST)
class PrecisionTest {
  private static final CpuFeatures AMX =
      new CpuFeatures(
          CpuFeatures.INTEL, "Xeon", Set.of("avx512f", "avx512_bf16", "amx_bf16", "amx_tile"));
  private static final CpuFeatures AVX512_BF16 =
      new CpuFeatures(
          CpuFeatures.INTEL, "Xeon, AMX hidden", Set.of("avx512f", "avx512_bf16", "avx512_vnni"));
  private static final CpuFeatures ZEN4 =
      new CpuFeatures(CpuFeatures.AMD, "EPYC Zen 4", Set.of("avx512f", "avx512_bf16"));
  private static final CpuFeatures AVX2 =
      new CpuFeatures(CpuFeatures.AMD, "EPYC", Set.of("avx2", "fma"));

  @Test
  void autoPicksBf16OnlyWhereItMeasuredFaster() {
    assertEquals(new Precision.Choice(Precision.BF16, "auto: AMX"), Precision.choose("auto", AMX));
    assertEquals(
        new Precision.Choice(Precision.BF16, "auto: AMD AVX512_BF16"),
        Precision.choose("auto", ZEN4));
    assertEquals(
        new Precision.Choice(Precision.FP32, "auto: no AMX"),
        Precision.choose("AUTO", AVX512_BF16));
    assertEquals(
        new Precision.Choice(Precision.FP32, "auto: no bf16 hardware"),
        Precision.choose("auto", AVX2));
  }

  @Test
  void anUnknownVendorsAvx512Bf16StaysFp32() {
    CpuFeatures unknown = new CpuFeatures("some cloud CPU", Set.of("avx512f", "avx512_bf16"));
    assertEquals(Precision.FP32, Precision.parse("auto", unknown));
  }

  @Test
  void theChoiceSaysWhy() {
    assertEquals("fp32 (auto: no AMX)", Precision.choose("auto", AVX512_BF16).describe());
    assertEquals("bf16 (auto: AMD AVX512_BF16)", Precision.choose("auto", ZEN4).describe());
    assertEquals("bf16 (auto: AMX)", Precision.choose("auto", AMX).describe());
    assertEquals("fp32", Precision.choose("fp32", AMX).describe());
    assertEquals("bf16", Precision.choose("bf16", AVX512_BF16).describe());
  }

  @Test
  void explicitChoicesAreKeptWhereTheyCanRun() {
    assertEquals(Precision.FP32, Precision.parse("fp32", AMX));
    assertEquals(Precision.BF16, Precision.parse("bf16", AMX));
    assertEquals(Precision.BF16, Precision.parse("bf16", AVX512_BF16), "bf16 hardware, no AMX");
    assertEquals(Precision.FP32, Precision.parse("fp32", AVX2));
  }

  @Test
  void bf16WithoutHardwareIsRefusedNamingTheProcessor() {
    var e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16", AVX2));
    assertTrue(e.getMessage().contains("EPYC") && e.getMessage().contains("fp32"), e.getMessage());
  }

  @Test
  void theDecisionFollowsEachSimulatedFamily() {
    CpuFeatures real = CpuFeatures.detected();
    for (CpuFeatures.Family family : CpuFeatures.Family.values()) {
      CpuFeatures cpu = CpuFeatures.simulated(family, real);
      Precision auto = Precision.parse("auto", cpu);
      boolean fasterInBf16 =
          family == CpuFeatures.Family.AMX || family == CpuFeatures.Family.AMD_AVX512_BF16;
      assertEquals(fasterInBf16 ? Precision.BF16 : Precision.FP32, auto, family.toString());
      if (family == CpuFeatures.Family.AVX2) {
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16", cpu));
      } else {
        assertEquals(Precision.BF16, Precision.parse("bf16", cpu), family.toString());
      }
    }
  }

  @Test
  void unknownNamesAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16", AMX));
    assertTrue(e.getMessage().contains("'fp16'"), e.getMessage());
  }

  @Test
  void theRecipeRecordsItsPrecision() {
    TrainingConfig c = TrainingConfig.seedRecipe();
    assertEquals("fp32", c.describe().get("precision"));
    assertEquals("bf16", c.withPrecision(Precision.BF16).describe().get("precision"));
  }
}
