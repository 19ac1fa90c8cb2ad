package dev.mnistcnn.serve;

import dev.mnistcnn.inference.BatchingConfig;
import java.util.regex.Pattern;

/**
 * How the server listens and what it accepts.
 *
 * @param host address to bind; 127.0.0.1 keeps the server private to this machine
 * @param port TCP port; 0 picks a free one
 * @param modelName the {@code {name}} in {@code /v1/models/{name}}
 * @param threads request threads, which is also how many inferences run at once
 * @param maxBodyBytes larger request bodies get 413
 * @param maxInstances predict requests with more images get 413
 * @param clients timeouts, connection and image-decoding limits
 * @param batching server-side batching of predict calls
 * @param grpcPort TCP port of TF Serving's gRPC API; 0 picks a free one, -1 serves no gRPC
 */
public record ServerConfig(
    String host,
    int port,
    String modelName,
    int threads,
    int maxBodyBytes,
    int maxInstances,
    ClientLimits clients,
    BatchingConfig batching,
    int grpcPort) {
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** TensorFlow Serving's REST port. */
  public static final int DEFAULT_PORT = 8501;

  /** No gRPC port: {@link #grpcPort} for a server of the REST API only. */
  public static final int NO_GRPC = -1;

  /** TensorFlow Serving's gRPC port, for {@code serve --grpc-port}'s documentation. */
  public static final int TF_SERVING_GRPC_PORT = 8500;

  public static final String DEFAULT_MODEL_NAME = "mnist";
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

  /** Enough for any 4 MB body: an image written as compactly as JSON allows takes ~3 KB. */
  public static final int DEFAULT_MAX_INSTANCES = 1024;

  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (grpcPort < NO_GRPC || grpcPort > 65535) {
      throw new IllegalArgumentException(
          "gRPC port must be in 0..65535 (or -1 for none), got " + grpcPort);
    }
    if (modelName == null || !MODEL_NAME.matcher(modelName).matches()) {
      throw new IllegalArgumentException(
          "model name must be 1-64 letters, digits, '.', '_' or '-' (not first), got '"
              + modelName
              + "'");
    }
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads must be in 1..1024, got " + threads);
    }
    if (clients == null || batching == null) {
      throw new IllegalArgumentException("client limits and batching must be given");
    }
    if (maxBodyBytes < 1 || maxInstances < 1) {
      throw new IllegalArgumentException(
          "limits must be positive, got maxBodyBytes="
              + maxBodyBytes
              + " maxInstances="
              + maxInstances);
    }
  }

  /**
   * Loopback, port 8501, model "mnist", {@link #defaultThreads()}, 4 MB, 1024 images, {@link
   * ClientLimits#defaults()}, no batching, no gRPC.
   */
  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_MODEL_NAME,
        defaultThreads(),
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_INSTANCES,
        ClientLimits.defaults(),
        BatchingConfig.disabled(),
        NO_GRPC);
  }

  /**
   * Two per core, at least 4: a request thread parses JSON and, without batching, runs the model;
   * TensorFlow spreads each inference over its own intra-op pool anyway. Network waits hold no
   * thread (the event loops do the I/O).
   */
  public static int defaultThreads() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(
        h, port, modelName, threads, maxBodyBytes, maxInstances, clients, batching, grpcPort);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(
        host, p, modelName, threads, maxBodyBytes, maxInstances, clients, batching, grpcPort);
  }

  public ServerConfig withModelName(String n) {
    return new ServerConfig(
        host, port, n, threads, maxBodyBytes, maxInstances, clients, batching, grpcPort);
  }

  public ServerConfig withThreads(int t) {
    return new ServerConfig(
        host, port, modelName, t, maxBodyBytes, maxInstances, clients, batching, grpcPort);
  }

  public ServerConfig withLimits(int bodyBytes, int instances) {
    return new ServerConfig(
        host, port, modelName, threads, bodyBytes, instances, clients, batching, grpcPort);
  }

  public ServerConfig withClients(ClientLimits c) {
    return new ServerConfig(
        host, port, modelName, threads, maxBodyBytes, maxInstances, c, batching, grpcPort);
  }

  public ServerConfig withBatching(BatchingConfig b) {
    return new ServerConfig(
        host, port, modelName, threads, maxBodyBytes, maxInstances, clients, b, grpcPort);
  }

  public ServerConfig withGrpcPort(int p) {
    return new ServerConfig(
        host, port, modelName, threads, maxBodyBytes, maxInstances, clients, batching, p);
  }
}
