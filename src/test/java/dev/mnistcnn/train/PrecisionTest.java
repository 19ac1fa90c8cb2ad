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
  private static final CpuFeatures AMX = new CpuFeatures("Xeon", Set.of("avx512f", "amx_bf16"));
  private static final CpuFeatures AVX512_BF16 = new CpuFeatures("Zen 4", Set.of("avx512_bf16"));
  private static final CpuFeatures AVX2 = new CpuFeatures("EPYC", Set.of("avx2", "fma"));

  @Test
  void autoPicksBf16WhereHardwareComputesIt() {
    assertEquals(Precision.BF16, Precision.parse("auto", AMX));
    assertEquals(Precision.BF16, Precision.parse("AUTO", AVX512_BF16));
    assertEquals(Precision.FP32, Precision.parse("auto", AVX2));
  }

  @Test
  void explicitChoicesAreKeptWhereTheyCanRun() {
    assertEquals(Precision.FP32, Precision.parse("fp32", AMX));
    assertEquals(Precision.BF16, Precision.parse("bf16", AMX));
  }

  @Test
  void bf16WithoutHardwareIsRefusedNamingTheProcessor() {
    var e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16", AVX2));
    assertTrue(e.getMessage().contains("EPYC") && e.getMessage().contains("fp32"), e.getMessage());
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
