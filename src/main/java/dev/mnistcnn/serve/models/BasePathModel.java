package dev.mnistcnn.serve.models;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One model of TF Serving's model config: a base path whose numbered subfolders ({@code 1/}, {@code
 * 2/}, ...) are its versions.
 *
 * @param name the name requests use
 * @param basePath the folder holding the version folders
 * @param policy which versions found are served
 * @param labels version labels (e.g. "stable" -> 1)
 */
public record BasePathModel(
    String name, Path basePath, VersionPolicy policy, Map<String, Long> labels) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public BasePathModel {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "model name must be 1-64 letters, digits, '.', '_' or '-' (not first), got '"
              + name
              + "'");
    }
    if (basePath == null) {
      throw new IllegalArgumentException("model '" + name + "' needs a base path");
    }
    labels = Map.copyOf(labels);
  }

  /** TF Serving's {@code --model_name} and {@code --model_base_path}: latest version, no labels. */
  public static BasePathModel latest(String name, Path basePath) {
    return new BasePathModel(name, basePath, VersionPolicy.latest(), Map.of());
  }
}
