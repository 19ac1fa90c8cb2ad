package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnistcnn.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Out-of-range settings are refused in one line naming the setting as Keras does. */
@Tag(Tier.FAST)
class OptimizerSpecTest {
  @Test
  void aBadSettingIsNamedAsKerasNamesIt() {
    OptimizerSettingException lr =
        assertThrows(OptimizerSettingException.class, () -> new OptimizerSpec.Sgd(-1, 0, false));
    assertEquals("learning_rate", lr.setting());
    assertEquals("learning_rate must be positive, got -1.0", lr.getMessage());
    assertEquals("--learning-rate must be positive, got -1.0", lr.messageNaming("--learning-rate"));

    OptimizerSettingException momentum =
        assertThrows(
            OptimizerSettingException.class,
            () -> new OptimizerSpec.RmsProp(0.001, 0.9, 1.5, 1e-7));
    assertEquals("momentum must be in [0, 1], got 1.5", momentum.getMessage());

    OptimizerSettingException beta =
        assertThrows(
            OptimizerSettingException.class, () -> new OptimizerSpec.Adam(0.001, 1, 0.999, 1e-7));
    assertEquals("beta_1 must be in [0, 1), got 1.0", beta.getMessage());

    OptimizerSettingException name =
        assertThrows(OptimizerSettingException.class, () -> OptimizerSpec.defaults("foo"));
    assertEquals("optimizer", name.setting());
    assertEquals(
        "unknown optimizer 'foo' (expected one of [adam, sgd, rmsprop])", name.getMessage());
    assertEquals(
        "unknown --optimizer 'foo' (expected one of [adam, sgd, rmsprop])",
        name.messageNaming("--optimizer"));
  }
}
