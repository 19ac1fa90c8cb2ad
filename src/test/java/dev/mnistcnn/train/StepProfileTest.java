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
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.StepStats;

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
      assertTrue(nodes.get(0).shareMillisPerStep() > 0 && p.wallMillisPerStep() > 0);
      for (int i = 1; i < nodes.size(); i++) {
        assertTrue(
            nodes.get(i - 1).shareMillisPerStep() >= nodes.get(i).shareMillisPerStep(), "sorted");
      }
      double shares = nodes.stream().mapToDouble(StepProfile.NodeTime::shareMillisPerStep).sum();
      assertEquals(p.busyMillisPerStep(), shares, 1e-6 * shares);
      assertTrue(p.busyMillisPerStep() <= p.spanMillisPerStep() + 1e-9);
      for (StepProfile.NodeTime n : nodes) {
        assertTrue(n.shareMillisPerStep() <= n.millisPerStep() + 1e-9, n.toString());
      }
    }
  }

  /** Two ops overlapping for 5 µs split that stretch; the gap before a third is idle. */
  @Test
  void overlappingOpsShareTheirCommonTimeAndGapsAreIdle() {
    StepProfile p = new StepProfile(200);
    p.add(
        RunMetadata.newBuilder()
            .setStepStats(
                StepStats.newBuilder()
                    .addDevStats(
                        DeviceStepStats.newBuilder()
                            .addNodeStats(node("a", 1000, 10))
                            .addNodeStats(node("b", 1005, 10))
                            .addNodeStats(node("c", 1020, 5))
                            .addNodeStats(node("constant", 1002, 0))))
            .build());
    List<StepProfile.NodeTime> nodes = p.nodes();
    assertEquals(
        List.of("a", "b", "c", "constant"),
        nodes.stream().map(StepProfile.NodeTime::node).toList());
    assertEquals(0, nodes.get(3).shareMillisPerStep());
    assertEquals(0.0075, nodes.get(0).shareMillisPerStep(), 1e-12);
    assertEquals(0.0075, nodes.get(1).shareMillisPerStep(), 1e-12);
    assertEquals(0.010, nodes.get(1).millisPerStep(), 1e-12);
    assertEquals(0.005, nodes.get(2).shareMillisPerStep(), 1e-12);
    assertEquals(0.020, p.busyMillisPerStep(), 1e-12);
    assertEquals(0.025, p.spanMillisPerStep(), 1e-12);
  }

  private static NodeExecStats node(String name, long startMicros, long micros) {
    return NodeExecStats.newBuilder()
        .setNodeName(name)
        .setTimelineLabel(name + " = Op()")
        .setAllStartMicros(startMicros)
        .setAllEndRelMicros(micros)
        .build();
  }
}
