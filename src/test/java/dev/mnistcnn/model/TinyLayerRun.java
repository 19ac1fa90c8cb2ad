package dev.mnistcnn.model;

import dev.mnistcnn.graph.ModelGraph;
import dev.mnistcnn.graph.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Runs one layer on a tiny tensor through the real graph builder ({@link ModelGraph}): its weights
 * as variables, one inference or training step, and the weights after it (BatchNormalization's
 * moving statistics move in training).
 */
final class TinyLayerRun {
  private TinyLayerRun() {}

  /** The layer's output (flat, row-major, with its shape) and its weights after the step. */
  @SuppressWarnings("ArrayRecordComponent") // test output, never compared
  record Output(float[] values, List<Long> shape, ModelWeights weightsAfter) {}

  static Output run(
      Layer layer, List<Integer> inShape, int batch, float[] input, List<float[]> weights) {
    return run(layer, inShape, batch, input, weights, false);
  }

  static Output run(
      Layer layer,
      List<Integer> inShape,
      int batch,
      float[] input,
      List<float[]> weights,
      boolean training) {
    ModelSpec spec = new ModelSpec("tiny", inShape, List.of(layer));
    Map<String, float[]> values = new LinkedHashMap<>();
    List<ModelSpec.WeightRef> refs = spec.weightRefs();
    for (int i = 0; i < refs.size(); i++) {
      values.put(refs.get(i).path(), weights.get(i));
    }
    ModelWeights initial = ModelWeights.of(spec, values);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      PlaceholderWithDefault<TBool> isTraining =
          tf.placeholderWithDefault(tf.constant(false), Shape.scalar());
      ModelGraph model = ModelGraph.build(tf, spec, isTraining, 7);
      try (Session s = new Session(g)) {
        model.assign(s, initial);
        List<Integer> shape = new ArrayList<>(inShape);
        shape.add(0, batch);
        try (TFloat32 x = Tensors.floats(input, shape);
            TBool on = TBool.scalarOf(training)) {
          Session.Runner runner =
              s.runner().feed(model.input(), x).feed(isTraining, on).fetch(model.probabilities());
          if (training) {
            model.updates().forEach(runner::addTarget);
          }
          try (Result r = runner.run()) {
            TFloat32 out = (TFloat32) r.get(0);
            List<Long> outShape = new ArrayList<>();
            for (long d : out.shape().asArray()) {
              outShape.add(d);
            }
            return new Output(Tensors.toArray(out), outShape, model.read(s));
          }
        }
      }
    }
  }
}
