package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.data.DatasetKind;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The expected-accuracy line is printed for the measured recipe only, whatever its seed. */
@Tag(Tier.FAST)
class SeedRecipeAccuracyTest {
  private static final TrainingConfig RECIPE = TrainingConfig.seedRecipe();
  private static final ModelSpec SEED_CNN = ModelSpec.seedCnn();

  @Test
  void theSeedRecipeWithAnySeedIsCovered() {
    assertTrue(SeedRecipeAccuracy.covers(RECIPE, SEED_CNN, DatasetKind.MNIST, true));
    assertTrue(SeedRecipeAccuracy.covers(RECIPE.withSeed(7), SEED_CNN, DatasetKind.MNIST, true));
  }

  @Test
  void anyOtherRunIsNot() {
    assertFalse(
        SeedRecipeAccuracy.covers(RECIPE.withLimit(1000), SEED_CNN, DatasetKind.MNIST, true));
    assertFalse(SeedRecipeAccuracy.covers(RECIPE.withEpochs(2), SEED_CNN, DatasetKind.MNIST, true));
    assertFalse(
        SeedRecipeAccuracy.covers(RECIPE.withBatchSize(100), SEED_CNN, DatasetKind.MNIST, true));
    assertFalse(
        SeedRecipeAccuracy.covers(
            RECIPE.withPrecision(Precision.BF16), SEED_CNN, DatasetKind.MNIST, true));
    assertFalse(SeedRecipeAccuracy.covers(RECIPE, SEED_CNN, DatasetKind.FASHION, true));
    assertFalse(SeedRecipeAccuracy.covers(RECIPE, SEED_CNN, DatasetKind.MNIST, false));
    ModelSpec other =
        new ModelSpec("other", List.of(784), List.of(new Dense(10, ActivationFunction.SOFTMAX)));
    assertFalse(SeedRecipeAccuracy.covers(RECIPE, other, DatasetKind.MNIST, true));
  }

  @Test
  void theLineNamesTheMeasuredFiguresAndWhereTheyComeFrom() {
    String line = SeedRecipeAccuracy.line();
    assertTrue(line.matches("Expected for this recipe: 99\\.\\d\\d% test accuracy .*"), line);
    assertTrue(line.contains("docs/accuracy.md"), line);
  }
}
