package dev.mnistcnn.saving.keras;

import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.provenance.Provenance;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model.weights.h5} inside a {@code .keras} archive: {@code layers/<group>/vars/<i>},
 * where {@code <group>} is the snake-case class name numbered by class in layer order ({@code
 * conv2d}, {@code max_pooling2d}, {@code conv2d_1}, ...), never the layer's own name.
 */
final class WeightsH5 {
  static final String FILE_NAME = "model.weights.h5";

  /**
   * Written after every other group: jhdf 0.13.0 writes its trailer at the end of the last dataset
   * written, clobbering a trailing empty group (the root {@code vars} Keras requires). A group that
   * sorts after {@code vars} and ends in a dataset keeps it intact; it holds our provenance, which
   * Keras ignores.
   */
  static final String PROVENANCE_GROUP = "mnist_cnn_provenance";

  private WeightsH5() {}

  /** Keras's weight group name of every layer, in layer order. */
  static List<String> groupNames(ModelSpec spec) {
    Map<String, Integer> perClass = new HashMap<>();
    return spec.layers().stream()
        .map(
            l -> {
              int n = perClass.merge(l.kerasSnakeName(), 1, Integer::sum) - 1;
              return n == 0 ? l.kerasSnakeName() : l.kerasSnakeName() + "_" + n;
            })
        .toList();
  }

  /** Reads and shape-checks the weights of {@code spec}; optimizer state is ignored. */
  static ModelWeights read(Group root, ModelSpec spec) {
    Group layersGroup = childGroup(root, "layers");
    if (layersGroup == null) {
      // Keras 3 loads files written by tf-keras 2.13 under this name too.
      layersGroup = childGroup(root, "_layer_checkpoint_dependencies");
    }
    if (layersGroup == null) {
      throw new IllegalArgumentException(FILE_NAME + " has no 'layers' group");
    }
    Group stored = layersGroup;
    List<String> groups = groupNames(spec);
    return WeightWalk.read(spec, (k, layer) -> layerVars(stored, groups, layer));
  }

  /** {@code layers/<group>/vars/0..n-1}: the datasets of one layer, in index order. */
  private static WeightWalk.Stored layerVars(
      Group layersGroup, List<String> groups, ModelSpec.LayerWeights layer) {
    String group = groups.get(layer.layerIndex());
    String where = "layers/" + group + "/vars";
    Group layerGroup = childGroup(layersGroup, group);
    Group vars = layerGroup == null ? null : childGroup(layerGroup, "vars");
    if (vars == null) {
      throw new IllegalArgumentException(
          "no weights for layer '" + layer.layer().name() + "' (expected group " + where + ")");
    }
    long count =
        vars.getChildren().keySet().stream()
            .filter(name -> H5Nodes.child(vars, name) instanceof Dataset)
            .count();
    List<Dataset> datasets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!(H5Nodes.child(vars, Integer.toString(i)) instanceof Dataset d)) {
        throw new IllegalArgumentException(
            "layer '" + layer.layer().name() + "': no dataset " + where + "/" + i);
      }
      datasets.add(d);
    }
    return new WeightWalk.Stored(where, datasets);
  }

  /**
   * Writes the layout Keras writes: a group per layer with weights (weightless layers are left out,
   * as Keras 3.10+ does; every Keras 3 loader reads a missing group as empty) and the root {@code
   * vars} group that Keras 3.0-3.3 require.
   */
  static void write(ModelWeights weights, Provenance provenance, Path target) throws IOException {
    Files.deleteIfExists(target); // jhdf does not truncate an existing file
    List<String> groups = groupNames(weights.spec());
    try (WritableHdfFile file = HdfFile.write(target)) {
      WritableGroup layers = file.putGroup("layers");
      WeightWalk.write(
          weights,
          (k, layer, values) -> {
            WritableGroup vars = layers.putGroup(groups.get(layer.layerIndex())).putGroup("vars");
            for (int i = 0; i < values.size(); i++) {
              vars.putDataset(Integer.toString(i), values.get(i));
            }
          });
      file.putGroup("vars");
      file.putGroup(PROVENANCE_GROUP)
          .putDataset("json", provenance.toJson().getBytes(StandardCharsets.UTF_8));
    }
    verify(target, weights);
  }

  /** jhdf's writer is alpha: read the file back and insist on every value and group. */
  private static void verify(Path file, ModelWeights expected) throws IOException {
    try (HdfFile h5 = new HdfFile(file)) {
      if (childGroup(h5, "vars") == null) {
        throw new IOException("written " + file + " lost its 'vars' group");
      }
      H5Arrays.requireSame(expected, read(h5, expected.spec()), file);
    } catch (RuntimeException e) {
      throw new IOException("written " + file + " does not read back: " + e.getMessage(), e);
    }
  }

  static Group childGroup(Group parent, String name) {
    return H5Nodes.child(parent, name) instanceof Group g ? g : null;
  }
}
