package dev.mnistcnn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.model.Activation;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Conv2D;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.MaxPooling2D;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;

/**
 * A training graph runs a convolution's bias and ReLU after the max pooling that follows it (a
 * quarter of the elements for them and their gradients, and no fused weight-and-bias gradient); an
 * inference graph keeps Keras's order. On real MNIST images the outputs are the same to the last
 * bit and the gradients the same up to the order of the bias gradients' sums.
 */
@Tag(Tier.FAST)
class BehindPoolingTest {
  private static final int IMAGES = 64;

  @Test
  void theTrainingGraphPoolsBeforeTheBiasAndReluAndTheInferenceGraphAfter() {
    // The two convolutions' bias and ReLU move behind their pools; Dense's (no pool after it) stay.
    assertEquals(
        List.of(
            "Relu <- BiasAdd <- MatMul",
            "Relu <- BiasAdd <- MaxPool",
            "Relu <- BiasAdd <- MaxPool"),
        reluInputs(true));
    assertEquals(
        List.of(
            "Relu <- BiasAdd <- Conv2D", "Relu <- BiasAdd <- Conv2D", "Relu <- BiasAdd <- MatMul"),
        reluInputs(false));
  }

  @Test
  void bothOrdersGiveTheSameProbabilitiesToTheLastBit() {
    ModelWeights weights = ModelSpec.seedCnn().initialWeights(7);
    assertArrayEquals(probabilities(weights, false), probabilities(weights, true));
  }

  @Test
  void bothOrdersGiveTheSameGradients() {
    ModelWeights weights = ModelSpec.seedCnn().initialWeights(7);
    List<float[]> keras = gradients(weights, false);
    List<float[]> training = gradients(weights, true);
    for (int v = 0; v < keras.size(); v++) {
      float[] expected = keras.get(v);
      float[] actual = training.get(v);
      double scale = 0;
      double diff = 0;
      for (int i = 0; i < expected.length; i++) {
        scale = Math.max(scale, Math.abs(expected[i]));
        diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
      }
      String path = weights.spec().weightRefs().get(v).path();
      assertTrue(scale > 0, path + ": a gradient of zeros proves nothing");
      assertTrue(diff <= 1e-5 * scale, path + ": differs by " + diff + " of " + scale);
    }
  }

  @Test
  void onlyABiasAndAReluMoveAndOnlyBeforeAMaxPooling() {
    Layer pool = new MaxPooling2D(2);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> kernel = tf.constant(new float[] {1f});
      Operand<TFloat32> bias = tf.constant(new float[] {2f});
      List<Operand<TFloat32>> weights = List.of(kernel, bias);
      BehindPooling reluAndBias =
          BehindPooling.of(new Conv2D(4, 3, ActivationFunction.RELU), pool, weights, tf);
      assertEquals(List.of(kernel), reluAndBias.headWeights());
      assertEquals(bias, reluAndBias.bias());
      assertTrue(reluAndBias.relu());
      assertEquals(new Conv2D(4, 3, ActivationFunction.LINEAR).withoutBias(), reluAndBias.head());
      BehindPooling biasOnly =
          BehindPooling.of(new Conv2D(4, 3, ActivationFunction.LINEAR), pool, weights, tf);
      assertEquals(bias, biasOnly.bias());
      assertFalse(biasOnly.relu());
      BehindPooling reluOnly =
          BehindPooling.of(new Activation(ActivationFunction.RELU), pool, List.of(), tf);
      assertNull(reluOnly.bias());
      assertTrue(reluOnly.relu());
      // tanh stays before the pooling, and the bias before it; nothing moves past other layers.
      assertNull(BehindPooling.of(new Conv2D(4, 3, ActivationFunction.TANH), pool, weights, tf));
      assertNull(
          BehindPooling.of(
              new Conv2D(4, 3, ActivationFunction.RELU),
              new Dense(3, ActivationFunction.RELU),
              weights,
              tf));
      assertNull(BehindPooling.of(new Activation(ActivationFunction.LINEAR), pool, List.of(), tf));
    }
  }

  /** "Relu <- its input's op type <- that op's first input's type" per ReLU, sorted. */
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
                  GraphOperation before = (GraphOperation) input.inputs().get(0).op();
                  edges.add("Relu <- " + input.type() + " <- " + before.type());
                }
              });
      return edges.stream().sorted().toList();
    }
  }

  private static float[] probabilities(ModelWeights weights, boolean training) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ModelGraph model =
          ModelGraph.build(tf, weights.spec(), training ? tf.constant(false) : null, 1);
      try (Session session = new Session(g)) {
        model.assign(session, weights);
        try (TFloat32 x = images();
            Result r = session.runner().feed(model.input(), x).fetch(model.probabilities()).run()) {
          return Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
  }

  /** The gradients of the cross-entropy of the first test images, one per weight. */
  private static List<float[]> gradients(ModelWeights weights, boolean training) {
    Split test = TestData.mnist().test();
    float[] oneHot = new float[IMAGES * 10];
    for (int i = 0; i < IMAGES; i++) {
      oneHot[i * 10 + test.label(i)] = 1f;
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ModelGraph model =
          ModelGraph.build(tf, weights.spec(), training ? tf.constant(false) : null, 1);
      Operand<TFloat32> loss =
          tf.math.neg(
              tf.reduceSum(
                  tf.math.mul(
                      tf.math.log(model.probabilities()),
                      tf.constant(Shape.of(IMAGES, 10), DataBuffers.of(oneHot))),
                  tf.constant(new int[] {0, 1})));
      List<Operand<?>> variables = new ArrayList<>();
      weights
          .spec()
          .weightRefs()
          .forEach(r -> variables.add(g.operation(ModelGraph.variableName(r.path())).output(0)));
      Gradients grads = tf.gradients(loss, variables);
      try (Session session = new Session(g)) {
        model.assign(session, weights);
        Session.Runner runner = session.runner();
        for (int v = 0; v < variables.size(); v++) {
          runner.fetch(grads.dy(v));
        }
        try (TFloat32 x = images();
            Result r = runner.feed(model.input(), x).run()) {
          List<float[]> values = new ArrayList<>();
          for (int v = 0; v < variables.size(); v++) {
            values.add(Tensors.toArray((TFloat32) r.get(v)));
          }
          return values;
        }
      }
    }
  }

  private static TFloat32 images() {
    return Tensors.floats(TestData.mnist().test().imagesAsFloats(0, IMAGES), IMAGES, 28, 28, 1);
  }
}
