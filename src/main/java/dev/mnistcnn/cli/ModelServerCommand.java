package dev.mnistcnn.cli;

import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.serve.ServerConfig;
import dev.mnistcnn.serve.ServingServer;
import dev.mnistcnn.serve.models.BasePathModel;
import dev.mnistcnn.serve.models.BatchingParametersFile;
import dev.mnistcnn.serve.models.ModelManager;
import dev.mnistcnn.serve.models.ModelServerConfigFile;
import dev.mnistcnn.serve.models.ServableNotFoundException;
import dev.mnistcnn.serve.models.VersionStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code model-server}: TensorFlow Serving's {@code tensorflow_model_server} with its flags,
 * spelled as TF Serving spells them, so that a TF Serving user changes only the binary. A TF
 * Serving flag this server does not offer is refused in one line that names it, and the server does
 * not start.
 */
@Command(
    name = "model-server",
    mixinStandardHelpOptions = true,
    description =
        "TensorFlow Serving's model server with its flags: serves the numbered version folders"
            + " under --model_base_path (or each base path of --model_config_file), loading new"
            + " versions as they appear, over TF Serving's REST and gRPC APIs.")
final class ModelServerCommand implements Callable<Integer> {
  /** TF Serving's name for a model given without --model_name. */
  static final String DEFAULT_MODEL_NAME = "default";

  @Spec CommandSpec spec;

  /** TF Serving's gRPC port. */
  @Option(
      names = "--port",
      defaultValue = "" + ServerConfig.TF_SERVING_GRPC_PORT,
      description = "gRPC port (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(
      names = "--rest_api_port",
      defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description =
          "REST port (default: ${DEFAULT-VALUE}; 0 picks a free one, where TF Serving turns REST"
              + " off).")
  int restApiPort;

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, every interface, as TF Serving;"
              + " 127.0.0.1 for this machine only). Not a TF Serving flag.")
  String host;

  @Option(
      names = "--model_name",
      defaultValue = DEFAULT_MODEL_NAME,
      description = "Name of the model of --model_base_path (default: ${DEFAULT-VALUE}).")
  String modelName;

  @Option(
      names = "--model_base_path",
      paramLabel = "DIR",
      description = "Folder of numbered version folders (1/, 2/, ...), the newest served.")
  Path modelBasePath;

  @Option(
      names = "--model_config_file",
      paramLabel = "FILE",
      description =
          "ModelServerConfig in text format: model_config_list { config { name base_path"
              + " model_version_policy version_labels } }; instead of --model_base_path.")
  Path modelConfigFile;

  @Option(
      names = "--file_system_poll_wait_seconds",
      paramLabel = "S",
      defaultValue = "1",
      description =
          "How often base paths are looked at for new versions (default: ${DEFAULT-VALUE};"
              + " 0: once, at start).")
  long pollWaitSeconds;

  @Option(
      names = "--enable_batching",
      arity = "0..1",
      fallbackValue = "true",
      description = "Gather concurrent predict calls into one model run (default: false).")
  boolean enableBatching;

  @Option(
      names = "--batching_parameters_file",
      paramLabel = "FILE",
      description =
          "BatchingParameters in text format (max_batch_size { value: 32 } ...); with"
              + " --enable_batching.")
  Path batchingParametersFile;

  @Option(
      names = "--allow_version_labels_for_unavailable_models",
      arity = "0..1",
      fallbackValue = "true",
      description = "Let a version label point at a version not loaded (default: false).")
  boolean labelsForUnavailable;

  @Option(
      names = "--rest_api_num_threads",
      paramLabel = "N",
      description = "REST request threads; as --threads.")
  Integer restApiNumThreads;

  @Mixin ServerOptions limits;

  @Mixin TrustOption trust;

  /** What picocli did not recognise: TF Serving flags this server does not implement. */
  @Unmatched List<String> unmatched;

  @Override
  public Integer call() throws Exception {
    String unsupported = firstFlag(unmatched);
    if (unsupported != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("model-server: unsupported TF Serving flag " + unsupported);
      err.flush();
      return spec.exitCodeOnInvalidInput();
    }
    if (grpcPort < 0 || grpcPort > 65535) {
      throw new IllegalArgumentException("--port must be in 0..65535, got " + grpcPort);
    }
    if (pollWaitSeconds < 0) {
      throw new IllegalArgumentException("--file_system_poll_wait_seconds must be 0 or more");
    }
    if (batchingParametersFile != null && !enableBatching) {
      throw new IllegalArgumentException(
          "--batching_parameters_file takes effect only with --enable_batching");
    }
    List<BasePathModel> models = models();
    BatchingConfig batching =
        !enableBatching
            ? BatchingConfig.disabled()
            : batchingParametersFile != null
                ? BatchingParametersFile.read(batchingParametersFile)
                : BatchingConfig.enabled(BatchingConfig.DEFAULT_MAX_BATCH_SIZE, 0);
    ServerConfig config = serverConfig(models.get(0).name());
    ModelManager manager =
        ModelManager.start(
            models,
            new ModelManager.Settings(
                trust.trust(),
                limits.runTimeout(),
                batching,
                Duration.ofSeconds(pollWaitSeconds),
                labelsForUnavailable));
    ServingServer server;
    try {
      server = Listening.start(config, () -> ServingServer.start(manager, config));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Serving "
            + String.join(", ", manager.names())
            + " on "
            + server.url()
            + " (REST) and "
            + host
            + ":"
            + server.grpcPort()
            + " (gRPC)");
    for (String name : manager.names()) {
      out.println("  " + name + "  versions " + available(manager, name));
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
    server.awaitClosed();
    return 0;
  }

  /** The server's settings: REST on --rest_api_port, gRPC on --port. */
  ServerConfig serverConfig(String firstModel) {
    ServerConfig config =
        limits.applyTo(
            ServerConfig.defaults()
                .withHost(host)
                .withPort(restApiPort)
                .withGrpcPort(grpcPort)
                .withModelName(firstModel));
    return restApiNumThreads == null ? config : config.withThreads(restApiNumThreads);
  }

  private List<BasePathModel> models() {
    if (modelConfigFile != null) {
      if (modelBasePath != null) {
        throw new IllegalArgumentException(
            "give --model_config_file or --model_base_path, not both");
      }
      return ModelServerConfigFile.read(modelConfigFile);
    }
    if (modelBasePath == null) {
      throw new IllegalArgumentException(
          "give --model_base_path (a folder of numbered versions) or --model_config_file");
    }
    return List.of(BasePathModel.latest(modelName, modelBasePath));
  }

  private static String available(ModelManager manager, String name) {
    try {
      List<String> versions =
          manager.status(name, null).stream()
              .filter(v -> v.state() == VersionStatus.State.AVAILABLE)
              .map(v -> Long.toString(v.version()))
              .toList();
      return versions.isEmpty() ? "none yet" : String.join(", ", versions);
    } catch (ServableNotFoundException e) {
      return "none yet";
    }
  }

  /** The first argument that looks like a flag ({@code --name} or {@code --name=value}). */
  private static String firstFlag(List<String> arguments) {
    if (arguments == null) {
      return null;
    }
    for (String a : arguments) {
      if (a.startsWith("-")) {
        int eq = a.indexOf('=');
        return eq < 0 ? a : a.substring(0, eq);
      }
    }
    return arguments.isEmpty() ? null : "argument " + arguments.get(0);
  }
}
