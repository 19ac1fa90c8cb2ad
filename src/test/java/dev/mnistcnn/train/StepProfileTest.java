package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.graph.ModelGraph;
import dev.mnistcnn.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

@Tag(Tier.FAST)
class StepProfileTest {

  @Test
  void kernelNamesComeFromTimelineLabels() {
    assertEquals(
        "_MklNativeFusedConv2D",
        StepProfile.kernelOf("conv2d/BiasAdd = _MklNativeFusedConv2D(a, b)"));
    assertEquals("NoOp", StepProfile.kernelOf("NoOp"));
  }

  /**
   * The pooling layers must build TensorFlow's attribute-based {@code MaxPool}: TF Java's {@code
   * tf.nn.maxPool} builds {@code MaxPoolV2}, which oneDNN does not accelerate (training ran about
   * 1.4x slower with it).
   */
  @Test
  void poolingBuildsTheOneDnnFriendlyMaxPoolOp() {
    try (Graph g = new Graph()) {
      ModelGraph.build(Ops.create(g), ModelSpec.seedCnn(), null, 1);
      List<String> types = new ArrayList<>();
      g.operations().forEachRemaining(op -> types.add(op.type()));
      assertEquals(2, types.stream().filter("MaxPool"::equals).count(), types.toString());
      assertFalse(types.contains("MaxPoolV2"), types.toString());
    }
  }

  @Test
  void aProfileNamesTheConvolutionGradientsOfRealTrainingSteps() {
    try (Trainer trainer =
        new Trainer(ModelSpec.seedCnn().initialWeights(1), TrainingConfig.seedRecipe())) {
      StepProfile p = trainer.profile(TestData.mnist().train(), 1, 3);
      assertEquals(3, p.steps());
      assertEquals(200, p.batchSize());
      List<StepProfile.NodeTime> nodes = p.nodes();
      assertTrue(
          nodes.stream().anyMatch(n -> n.kernel().contains("Conv2DBackpropFilter")),
          nodes.toString());
      assertTrue(nodes.get(0).millisPerStep() > 0 && p.wallMillisPerStep() > 0);
      for (int i = 1; i < nodes.size(); i++) {
        assertTrue(nodes.get(i - 1).millisPerStep() >= nodes.get(i).millisPerStep(), "sorted");
      }
    }
  }
}
