package dev.mnistcnn.serve.models;

import dev.mnistcnn.serve.models.proto.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import dev.mnistcnn.serve.models.proto.ModelConfig;
import dev.mnistcnn.serve.models.proto.ModelServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * TF Serving's {@code --model_config_file}: a {@code ModelServerConfig} in text format holding a
 * {@code model_config_list}. Each config gives a name, a base path, optionally a {@code
 * model_version_policy} ({@code latest}, {@code all}, {@code specific}) and {@code version_labels}.
 */
public final class ModelServerConfigFile {
  private ModelServerConfigFile() {}

  /**
   * The models the file configures, in its order.
   *
   * @throws IllegalArgumentException one line saying what is wrong with the file
   */
  public static List<BasePathModel> read(Path file) {
    ModelServerConfig config =
        TextProtoFiles.read(file, "model config file", ModelServerConfig.newBuilder()).build();
    if (config.hasCustomModelConfig()) {
      throw invalid(file, "custom_model_config is not supported; use model_config_list");
    }
    if (config.getModelConfigList().getConfigCount() == 0) {
      throw invalid(file, "no model: expected model_config_list { config { name base_path } }");
    }
    List<BasePathModel> models = new ArrayList<>();
    for (ModelConfig c : config.getModelConfigList().getConfigList()) {
      models.add(model(file, c));
    }
    return models;
  }

  private static BasePathModel model(Path file, ModelConfig c) {
    String platform = c.getModelPlatform();
    if (!platform.isEmpty() && !platform.equals("tensorflow")) {
      throw invalid(
          file, "model '" + c.getName() + "': model_platform '" + platform + "' not supported");
    }
    if (c.getBasePath().isEmpty()) {
      throw invalid(file, "model '" + c.getName() + "' has no base_path");
    }
    try {
      return new BasePathModel(
          c.getName(),
          Path.of(c.getBasePath()),
          policy(c.getModelVersionPolicy()),
          c.getVersionLabelsMap());
    } catch (IllegalArgumentException e) {
      throw invalid(file, "model '" + c.getName() + "': " + e.getMessage());
    }
  }

  private static VersionPolicy policy(ServableVersionPolicy p) {
    return switch (p.getPolicyChoiceCase()) {
      // 0 is proto3's unset value; TF Serving's default is 1.
      case LATEST -> new VersionPolicy.Latest(Math.max(1, p.getLatest().getNumVersions()));
      case ALL -> new VersionPolicy.All();
      case SPECIFIC -> new VersionPolicy.Specific(new TreeSet<>(p.getSpecific().getVersionsList()));
      case POLICYCHOICE_NOT_SET -> VersionPolicy.latest();
    };
  }

  private static IllegalArgumentException invalid(Path file, String message) {
    return new IllegalArgumentException("model config file " + file + ": " + message);
  }
}
