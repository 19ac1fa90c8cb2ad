package dev.mnistcnn.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weight values for a {@link ModelSpec}, keyed by Keras path ({@code conv2d/kernel}), in the spec's
 * order, each a row-major float array of the spec's shape. The currency between training, export
 * and import: every format reads into and writes from this.
 */
public final class ModelWeights {
  private final ModelSpec spec;
  private final Map<String, float[]> values;

  private ModelWeights(ModelSpec spec, Map<String, float[]> values) {
    this.spec = spec;
    this.values = values;
  }

  /**
   * Checks that {@code values} has exactly the spec's weights with the right sizes; copies nothing.
   */
  public static ModelWeights of(ModelSpec spec, Map<String, float[]> values) {
    Map<String, float[]> ordered = new LinkedHashMap<>();
    for (ModelSpec.WeightRef ref : spec.weightRefs()) {
      float[] v = values.get(ref.path());
      if (v == null) {
        throw new IllegalArgumentException("missing weight '" + ref.path() + "'");
      }
      if (v.length != ref.spec().size()) {
        throw new IllegalArgumentException(
            "weight '"
                + ref.path()
                + "' has "
                + v.length
                + " values, expected "
                + ref.spec().size()
                + " for shape "
                + ref.spec().shape());
      }
      ordered.put(ref.path(), v);
    }
    if (values.size() != ordered.size()) {
      var extra = new java.util.TreeSet<>(values.keySet());
      extra.removeAll(ordered.keySet());
      throw new IllegalArgumentException("unexpected weights " + extra);
    }
    return new ModelWeights(spec, Collections.unmodifiableMap(ordered));
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Path -> values, in the spec's order. The arrays are shared: do not modify them. */
  public Map<String, float[]> values() {
    return values;
  }

  public float[] get(String path) {
    float[] v = values.get(path);
    if (v == null) {
      throw new IllegalArgumentException("no weight '" + path + "'");
    }
    return v;
  }

  /**
   * Null when every value is finite, else where the first NaN or infinity is ({@code dense/kernel
   * [12] = NaN}): a diverged training run or a damaged file, which would predict NaN for every
   * image.
   */
  public String firstNonFinite() {
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      float[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          return e.getKey() + " [" + i + "] = " + v[i];
        }
      }
    }
    return null;
  }
}
