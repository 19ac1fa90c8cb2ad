package dev.mnistcnn.saving.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.files.WriteFailures;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.provenance.Provenance;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The legacy Keras HDF5 file ({@code model.save("x.h5")}): root attributes {@code model_config},
 * {@code keras_version}, {@code backend}; group {@code model_weights} with {@code layer_names} and,
 * per layer, {@code weight_names} naming its datasets in order. Keras matches the layers that have
 * weights to the file's in order, so this reader does too; Keras 2 ({@code conv2d/kernel:0}) and
 * Keras 3 ({@code sequential/conv2d/kernel}) names both work.
 */
public final class LegacyH5 {
  static final String PROVENANCE_ATTRIBUTE = "mnist_cnn_provenance";
  private static final String WEIGHTS_GROUP = "model_weights";

  private LegacyH5() {}

  /** A layer of the file that holds weights: its name and its datasets in order. */
  private record FileLayer(String name, List<Dataset> datasets) {}

  public static StoredModel read(Path path) throws IOException {
    try (HdfFile h5 = new HdfFile(path)) {
      String config = stringAttribute(h5, "model_config");
      if (config == null) {
        throw new IOException(
            path + ": no model_config attribute (a weights-only file?): the layers are unknown");
      }
      JsonNode configJson = Json.MAPPER.readTree(config);
      ModelSpec spec = KerasModelConfig.parse(configJson);
      Group weightsGroup = WeightsH5.childGroup(h5, WEIGHTS_GROUP);
      ModelWeights weights = readWeights(weightsGroup == null ? h5 : weightsGroup, spec);
      String ours = stringAttribute(h5, PROVENANCE_ATTRIBUTE);
      if (ours != null) {
        return new StoredModel(weights, Provenance.fromJson(ours));
      }
      return new StoredModel(
          weights,
          KerasArchive.madeByKeras(
              "legacy .h5 file " + path.getFileName(),
              stringAttribute(h5, "keras_version"),
              null,
              configJson));
    } catch (IllegalArgumentException | HdfException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw H5Nodes.corrupt(path, e);
    }
  }

  /**
   * Keras matches the file's layers that hold weights to the model's layers with weights in order,
   * by position, whatever their names.
   */
  private static ModelWeights readWeights(Group group, ModelSpec spec) {
    List<FileLayer> fileLayers = new ArrayList<>();
    for (String name : stringsAttribute(group, "layer_names")) {
      Group layerGroup = WeightsH5.childGroup(group, name);
      if (layerGroup == null) {
        throw new IllegalArgumentException("layer_names lists '" + name + "' but it has no group");
      }
      List<Dataset> datasets = new ArrayList<>();
      for (String weightName : stringsAttribute(layerGroup, "weight_names")) {
        if (!(H5Nodes.byPath(layerGroup, weightName) instanceof Dataset d)) {
          throw new IllegalArgumentException(
              "layer '" + name + "' names weight '" + weightName + "' but has no such dataset");
        }
        datasets.add(d);
      }
      if (!datasets.isEmpty()) {
        fileLayers.add(new FileLayer(name, datasets));
      }
    }
    int weighted = spec.weightedLayers().size();
    if (weighted != fileLayers.size()) {
      throw new IllegalArgumentException(
          "the file holds weights for "
              + fileLayers.size()
              + " layers "
              + fileLayers.stream().map(FileLayer::name).toList()
              + ", the model config has "
              + weighted
              + " layers with weights");
    }
    return WeightWalk.read(
        spec,
        (k, layer) ->
            new WeightWalk.Stored(
                "the file's layer '" + fileLayers.get(k).name() + "'",
                fileLayers.get(k).datasets()));
  }

  /** A scalar string attribute, or null when absent. */
  private static String stringAttribute(io.jhdf.api.Node node, String name) {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return null;
    }
    Object data = a.getData();
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof String[] arr && arr.length == 1) {
      return arr[0];
    }
    throw new IllegalArgumentException("attribute '" + name + "' is not a string");
  }

  /**
   * A string-array attribute; absent or empty (h5py stores an empty list as an empty float64 array)
   * reads as no strings.
   */
  private static List<String> stringsAttribute(io.jhdf.api.Node node, String name) {
    Attribute a = node.getAttribute(name);
    if (a == null || a.isEmpty()) {
      return List.of();
    }
    Object data = a.getData();
    if (data instanceof String[] arr) {
      return List.of(arr);
    }
    if (data instanceof String s) {
      return List.of(s);
    }
    if (data instanceof double[] d && d.length == 0) {
      return List.of();
    }
    throw new IllegalArgumentException(
        "attribute '" + name + "' of " + node.getPath() + " is not a list of names");
  }

  /**
   * Writes what Keras 3's legacy saver writes (without optimizer state). Weightless layers are left
   * out of {@code layer_names}: Keras skips them on load, and jhdf cannot write the empty groups
   * and empty name lists they would need.
   */
  public static void write(ModelWeights weights, Provenance provenance, Path target)
      throws IOException {
    ModelSpec spec = weights.spec();
    String config = Json.MAPPER.writeValueAsString(KerasModelConfig.toLegacy(spec));
    AtomicFiles.writeFile(
        target,
        WriteFailures.naming(
            target,
            HdfException.class,
            tmp -> {
              try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                h5.putAttribute("keras_version", KerasModelConfig.KERAS_VERSION);
                h5.putAttribute("backend", "tensorflow");
                h5.putAttribute("model_config", config);
                h5.putAttribute(PROVENANCE_ATTRIBUTE, provenance.toJson());
                WritableGroup group = h5.putGroup(WEIGHTS_GROUP);
                group.putAttribute("keras_version", KerasModelConfig.KERAS_VERSION);
                group.putAttribute("backend", "tensorflow");
                List<String> layerNames = new ArrayList<>();
                WeightWalk.write(
                    weights,
                    (k, layer, values) -> {
                      String name = layer.layer().name();
                      layerNames.add(name);
                      WritableGroup layerGroup = group.putGroup(name);
                      WritableGroup data = layerGroup.putGroup(spec.name()).putGroup(name);
                      List<String> weightNames = new ArrayList<>();
                      for (ModelSpec.WeightRef ref : layer.weights()) {
                        weightNames.add(spec.name() + "/" + ref.path());
                        data.putDataset(ref.spec().name(), values.get(ref.index()));
                      }
                      layerGroup.putAttribute("weight_names", weightNames.toArray(String[]::new));
                    });
                group.putAttribute("layer_names", layerNames.toArray(String[]::new));
              }
              H5Arrays.requireSame(weights, read(tmp).weights(), tmp);
            }));
  }
}
