package dev.mnistcnn.cli;

import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.ServerConfig;
import dev.mnistcnn.serve.ServingServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve}: TensorFlow Serving's REST API and the drawing page, until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serves a model over HTTP: TensorFlow Serving's REST API (/v1/models/NAME,"
            + " :predict), :classify-image for image files, /healthz, and a drawing page at /."
            + " Stops cleanly on Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOption model;

  @Mixin ServerOptions limits;

  @Option(
      names = "--host",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only;"
              + " 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description = "Port (default: ${DEFAULT-VALUE}, TensorFlow Serving's; 0 picks a free one).")
  int port;

  @Option(
      names = "--grpc-port",
      paramLabel = "PORT",
      description =
          "Also serve TensorFlow Serving's gRPC API (PredictionService, ModelService) on this port"
              + " (TF Serving's is "
              + ServerConfig.TF_SERVING_GRPC_PORT
              + "; 0 picks a free one; default: no gRPC).")
  Integer grpcPort;

  @Option(
      names = "--name",
      defaultValue = ServerConfig.DEFAULT_MODEL_NAME,
      description = "Model name in the URLs, /v1/models/NAME (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--enable-batching",
      description =
          "Gather concurrent :predict calls into one model run, as TF Serving's"
              + " --enable_batching (default: off; answers may then differ from a lone run's in the"
              + " last bits). As there, a request that would queue more than 10 full batches is"
              + " refused (503).")
  boolean enableBatching;

  @Option(
      names = "--max-batch-size",
      paramLabel = "N",
      defaultValue = "" + BatchingConfig.DEFAULT_MAX_BATCH_SIZE,
      description = "With --enable-batching: most images in one run (default: ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(
      names = "--batch-timeout-micros",
      paramLabel = "US",
      defaultValue = "0",
      description =
          "With --enable-batching: how long a batch that already has company waits for"
              + " more requests; a lone request never waits (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMicros;

  @Option(
      names = "--num-batch-threads",
      paramLabel = "N",
      description =
          "With --enable-batching: batches that run at once, each on one core"
              + " (TF Serving's num_batch_threads; default: one per core, as TF Serving's).")
  Integer numBatchThreads;

  @Override
  public Integer call() throws Exception {
    var parsed = spec.commandLine().getParseResult();
    if (!enableBatching
        && (parsed.hasMatchedOption("--max-batch-size")
            || parsed.hasMatchedOption("--batch-timeout-micros")
            || parsed.hasMatchedOption("--num-batch-threads"))) {
      throw new IllegalArgumentException(
          "--max-batch-size, --batch-timeout-micros and --num-batch-threads take effect only with"
              + " --enable-batching");
    }
    ServerConfig given =
        limits.applyTo(
            ServerConfig.defaults()
                .withHost(host)
                .withPort(port)
                .withModelName(name)
                .withBatching(
                    enableBatching
                        ? new BatchingConfig(
                            true,
                            maxBatchSize,
                            batchTimeoutMicros,
                            numBatchThreads != null
                                ? numBatchThreads
                                : BatchingConfig.defaultThreads())
                        : BatchingConfig.disabled()));
    ServerConfig config = grpcPort == null ? given : given.withGrpcPort(grpcPort);
    java.time.Duration runTimeout = limits.runTimeout();
    Predictor predictor = Predictor.open(model.path, model.trust());
    predictor.setRunTimeout(runTimeout);
    ServingServer server = Listening.start(config, () -> ServingServer.start(predictor, config));
    PrintWriter out = spec.commandLine().getOut();
    out.println("Serving " + predictor.description() + " as '" + name + "' on " + server.url());
    out.println("  drawing page   " + server.url() + "/");
    out.println(
        "  predict        POST "
            + server.url()
            + "/v1/models/"
            + name
            + ":predict"
            + (enableBatching ? " (batching up to " + maxBatchSize + ")" : ""));
    if (server.grpcPort() != ServerConfig.NO_GRPC) {
      out.println(
          "  gRPC           "
              + host
              + ":"
              + server.grpcPort()
              + " (tensorflow.serving.PredictionService, ModelService)");
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
    server.awaitClosed();
    return 0;
  }
}
