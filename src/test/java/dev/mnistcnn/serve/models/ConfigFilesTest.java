package dev.mnistcnn.serve.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.BatchingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TF Serving's --model_config_file and --batching_parameters_file, as TF Serving's docs write them.
 */
@Tag(Tier.FAST)
class ConfigFilesTest {
  @TempDir Path dir;

  private Path file(String text) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "config", ".txt"), text);
  }

  private List<BasePathModel> models(String text) throws Exception {
    return ModelServerConfigFile.read(file(text));
  }

  /** The one-line message {@code read} gives for a file holding {@code text}. */
  private String error(String text, String what, Function<Path, ?> read) throws Exception {
    Path f = file(text);
    String message = assertThrows(IllegalArgumentException.class, () -> read.apply(f)).getMessage();
    assertTrue(message.startsWith(what + " " + f + ": "), message);
    assertEquals(1, message.lines().count(), message);
    return message;
  }

  private String modelsError(String text) throws Exception {
    return error(text, "model config file", ModelServerConfigFile::read);
  }

  private static void assertContains(String message, String fragment) {
    assertTrue(message.contains(fragment), "'" + fragment + "' in: " + message);
  }

  @Test
  void everyPolicyAndLabels() throws Exception {
    List<BasePathModel> models =
        models(
            """
            model_config_list {
              config {
                name: "mnist"
                base_path: "/models/mnist"
                model_platform: "tensorflow"
                model_version_policy { latest { num_versions: 2 } }
                version_labels { key: "stable" value: 1 }
                version_labels { key: "canary" value: 2 }
              }
              config { name: "all" base_path: "/models/all" model_version_policy { all {} } }
              config {
                name: "pinned"
                base_path: "/models/pinned"
                model_version_policy { specific { versions: 1 versions: 3 } }
              }
              config { name: "plain" base_path: "/models/plain" }
              config {
                name: "zero" base_path: "/z" model_version_policy { latest { } }
              }
            }
            """);
    assertEquals(
        List.of(
            new BasePathModel(
                "mnist",
                Path.of("/models/mnist"),
                new VersionPolicy.Latest(2),
                Map.of("stable", 1L, "canary", 2L)),
            new BasePathModel("all", Path.of("/models/all"), new VersionPolicy.All(), Map.of()),
            new BasePathModel(
                "pinned", Path.of("/models/pinned"), VersionPolicy.Specific.of(1L, 3L), Map.of()),
            BasePathModel.latest("plain", Path.of("/models/plain")),
            BasePathModel.latest("zero", Path.of("/z"))),
        models);
  }

  @Test
  void badModelConfigsAreOneLine() throws Exception {
    assertContains(modelsError("model_config_list { config { name: \"m\" "), "1:");
    assertContains(
        modelsError("model_config_list { config { name: \"m\" base_path: \"/m\" bogus: 1 } }"),
        "bogus");
    assertContains(
        modelsError(
            "model_config_list { config { name: \"m\" base_path: \"/m\" logging_config { } } }"),
        "logging_config");
    assertContains(modelsError(""), "no model");
    assertContains(modelsError("model_config_list { config { name: \"m\" } }"), "base_path");
    assertContains(modelsError("model_config_list { config { base_path: \"/m\" } }"), "model name");
    assertContains(
        modelsError(
            "model_config_list { config { name: \"m\" base_path: \"/m\""
                + " model_platform: \"pytorch\" } }"),
        "model_platform 'pytorch' not supported");
    assertContains(
        modelsError(
            "model_config_list { config { name: \"m\" base_path: \"/m\""
                + " model_version_policy { specific { } } } }"),
        "specific needs at least one version");
    assertContains(modelsError("custom_model_config { }"), "custom_model_config is not supported");
    Path missing = dir.resolve("missing.config");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ModelServerConfigFile.read(missing))
            .getMessage()
            .startsWith("cannot read model config file " + missing));
  }

  private BatchingConfig batching(String text) throws Exception {
    return BatchingParametersFile.read(file(text));
  }

  private String batchingError(String text) throws Exception {
    return error(text, "batching parameters file", BatchingParametersFile::read);
  }

  @Test
  void batchingParameters() throws Exception {
    assertEquals(
        new BatchingConfig(true, 32, 1000, 4, 100),
        batching(
            """
            max_batch_size { value: 32 }
            batch_timeout_micros { value: 1000 }
            max_enqueued_batches { value: 100 }
            num_batch_threads { value: 4 }
            thread_pool_name { value: "batch_threads" }
            pad_variable_length_inputs: true
            """));
    BatchingConfig defaults = BatchingConfig.disabled();
    assertEquals(
        new BatchingConfig(
            true,
            defaults.maxBatchSize(),
            0,
            defaults.threads(),
            BatchingConfig.DEFAULT_MAX_ENQUEUED_BATCHES),
        batching(""));
    assertEquals(10, BatchingConfig.DEFAULT_MAX_ENQUEUED_BATCHES, "TF Serving's default");
    assertContains(batchingError("max_batch_size { value: 0 }"), "max batch size");
    assertContains(batchingError("max_batch_size: 32"), "1:17: Expected \"{\"");
    assertContains(batchingError("num_batch_threads { value: 99999999999 }"), "out of range");
    assertContains(batchingError("max_enqueued_batches { value: 0 }"), "max_enqueued");
    assertEquals(
        List.of(8, 16),
        batching("max_batch_size { value: 16 } allowed_batch_sizes: 8 allowed_batch_sizes: 16")
            .allowedBatchSizes());
    assertEquals(
        16, batching("max_batch_size { value: 16 } allowed_batch_sizes: 16").paddedSize(9));
    assertContains(
        batchingError("max_batch_size { value: 16 } allowed_batch_sizes: 8 allowed_batch_sizes: 8"),
        "allowed_batch_sizes entries must be monotonically increasing");
    assertContains(
        batchingError("allowed_batch_sizes: 8 allowed_batch_sizes: 16"),
        "final entry in allowed_batch_sizes must equal max_batch_size (64)");
    assertContains(
        batchingError(
            "max_batch_size { value: 16 } allowed_batch_sizes: 0 allowed_batch_sizes: 16"),
        "entries must be 1 or more");
    assertContains(
        batchingError("allowed_batch_sizes: 99999999999"), "99999999999 is out of range");
  }
}
