package dev.mnistcnn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A training graph runs each ReLU after the max pooling that follows it (a quarter of the elements
 * for ReLU and its gradient); an inference graph keeps Keras's order. The outputs are the same to
 * the last bit on real MNIST images.
 */
@Tag(Tier.FAST)
class PoolBeforeReluTest {
  private static final int IMAGES = 64;

  @Test
  void theTrainingGraphPoolsBeforeTheReluAndTheInferenceGraphAfter() {
    // The two convolutions' ReLUs move behind their pools; Dense's (no pool after it) stays.
    assertEquals(
        List.of("Relu <- BiasAdd", "Relu <- MaxPool", "Relu <- MaxPool"), reluInputs(true));
    assertEquals(
        List.of("Relu <- BiasAdd", "Relu <- BiasAdd", "Relu <- BiasAdd"), reluInputs(false));
  }

  @Test
  void bothOrdersGiveTheSameProbabilitiesToTheLastBit() {
    ModelWeights weights = ModelSpec.seedCnn().initialWeights(7);
    assertArrayEquals(probabilities(weights, false), probabilities(weights, true));
  }

  /** "Relu <- input op type" for each ReLU of the seed CNN, sorted. */
  private static List<String> reluInputs(boolean training) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ModelGraph.build(tf, ModelSpec.seedCnn(), training ? tf.constant(false) : null, 1);
      List<String> edges = new ArrayList<>();
      g.operations()
          .forEachRemaining(
              op -> {
                if (op.type().equals("Relu")) {
                  GraphOperation input = (GraphOperation) op.inputs().get(0).op();
                  edges.add("Relu <- " + input.type());
                }
              });
      return edges.stream().sorted().toList();
    }
  }

  private static float[] probabilities(ModelWeights weights, boolean training) {
    float[] pixels = TestData.mnist().test().imagesAsFloats(0, IMAGES);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ModelGraph model =
          ModelGraph.build(tf, weights.spec(), training ? tf.constant(false) : null, 1);
      try (Session session = new Session(g)) {
        model.assign(session, weights);
        try (TFloat32 x = Tensors.floats(pixels, IMAGES, 28, 28, 1);
            Result r = session.runner().feed(model.input(), x).fetch(model.probabilities()).run()) {
          return Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
  }
}
