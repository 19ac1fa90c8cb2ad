package dev.mnistcnn.saving.keras;

import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelSpec.LayerWeights;
import dev.mnistcnn.model.ModelSpec.WeightRef;
import dev.mnistcnn.model.ModelWeights;
import io.jhdf.api.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one walk over a model's weights that the HDF5 formats share, as Keras's {@code saving_lib}
 * walks its layers against an {@code H5IOStore}: layer by layer ({@link ModelSpec#weightedLayers}),
 * weights by index. A format only says where a layer's weights sit (its {@link Source} and {@link
 * Sink}); names, order, counts and shapes are checked here, once.
 */
final class WeightWalk {
  private WeightWalk() {}

  /** A layer's stored weights in order, and where they sit (for errors). */
  record Stored(String where, List<Dataset> datasets) {}

  /** Where a format keeps each layer's weights, for reading ({@code H5IOStore.get}). */
  interface Source {
    /** The stored weights of the {@code k}-th weighted layer; throws naming what is missing. */
    Stored get(int k, LayerWeights layer);
  }

  /** Where a format puts each layer's weights, for writing ({@code H5IOStore.make}). */
  interface Sink {
    /** Stores the {@code k}-th weighted layer's weights: nested arrays in the layer's order. */
    void make(int k, LayerWeights layer, List<Object> values);
  }

  /** Reads and shape-checks every weight of {@code spec} from {@code source}. */
  static ModelWeights read(ModelSpec spec, Source source) {
    Map<String, float[]> values = new LinkedHashMap<>();
    List<LayerWeights> layers = spec.weightedLayers();
    for (int k = 0; k < layers.size(); k++) {
      LayerWeights layer = layers.get(k);
      Stored stored = source.get(k, layer);
      if (stored.datasets().size() != layer.weights().size()) {
        throw new IllegalArgumentException(
            "layer '"
                + layer.layer().name()
                + "': "
                + stored.where()
                + " holds "
                + stored.datasets().size()
                + " weights, expected "
                + layer.weights().size()
                + " "
                + layer.weights().stream().map(r -> r.spec().name()).toList());
      }
      for (WeightRef ref : layer.weights()) {
        values.put(
            ref.path(),
            H5Arrays.read(stored.datasets().get(ref.index()), ref.spec().shape(), ref.describe()));
      }
    }
    return ModelWeights.of(spec, values);
  }

  /** Writes every weight of {@code weights} into {@code sink}, layer by layer. */
  static void write(ModelWeights weights, Sink sink) {
    List<LayerWeights> layers = weights.spec().weightedLayers();
    for (int k = 0; k < layers.size(); k++) {
      List<Object> nested = new ArrayList<>();
      for (WeightRef ref : layers.get(k).weights()) {
        nested.add(H5Arrays.nest(weights.get(ref.path()), ref.spec().shape()));
      }
      sink.make(k, layers.get(k), nested);
    }
  }
}
