package dev.mnistcnn.serve;

import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.BatchingPredictor;
import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.grpc.GrpcServer;
import dev.mnistcnn.serve.http.HttpServer;
import dev.mnistcnn.serve.models.ModelManager;
import dev.mnistcnn.serve.models.RequestMetrics;
import dev.mnistcnn.serve.models.ServedModels;
import dev.mnistcnn.serve.models.SingleModel;
import dev.mnistcnn.serve.models.TfServingMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The model server: TF Serving's REST API, the image endpoint, {@code /healthz}, metrics and the
 * drawing page, on the HTTP layer of {@link dev.mnistcnn.serve.http}; with a gRPC port, TF
 * Serving's gRPC API ({@link GrpcServer}) on the same model and batcher.
 *
 * <p>Threads: besides the HTTP layer's event loops and request pool (JSON and, batched or not, the
 * model), image decodes run on their own bounded pool.
 *
 * <p>Owns the models it serves: {@link #close} stops admitting requests (new ones get 503), lets
 * those in flight finish, releases the port, then closes the models (the predictor of {@code serve
 * --model}, or every version of a {@link ModelManager}).
 */
public final class ServingServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ServingServer.class.getName());

  private final HttpServer http;
  private final ThreadPoolExecutor decodes;
  private final ServedModels models;
  private final Supplier<BatchingPredictor.Stats> batchStats;
  private final AutoCloseable closeModels;
  private final TfServingMetrics requestMetrics = new TfServingMetrics();
  private GrpcServer grpc;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private ServingServer(
      ServedModels models,
      Supplier<BatchingPredictor.Stats> batchStats,
      AutoCloseable closeModels,
      ServerConfig config) {
    this.models = models;
    this.batchStats = batchStats;
    this.closeModels = closeModels;
    ClientLimits limits = config.clients();
    this.http =
        new HttpServer(
            new HttpServer.Settings(
                config.host(),
                config.port(),
                config.threads(),
                config.maxBodyBytes(),
                limits.maxConnections(),
                limits.headerTimeoutMillis(),
                limits.bodyTimeoutMillis(),
                limits.idleTimeoutMillis(),
                limits.maxBufferedBytes()));
    this.decodes =
        new ThreadPoolExecutor(
            limits.maxConcurrentDecodes(),
            limits.maxConcurrentDecodes(),
            0,
            TimeUnit.SECONDS,
            limits.maxQueuedDecodes() == 0
                ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(limits.maxQueuedDecodes()),
            HttpServer.daemonThreads("serve-image"));
  }

  /**
   * Binds {@code config.host():config.port()} and starts serving {@code predictor}, which the
   * server then owns (it is closed with the server, or here if binding fails).
   *
   * @throws java.net.BindException if the port is taken
   * @throws UnknownHostException if the host is neither an address nor a name that resolves
   */
  public static ServingServer start(Predictor predictor, ServerConfig config) throws IOException {
    BatchingConfig batching = config.batching();
    BatchingPredictor batcher =
        batching.enabled() ? new BatchingPredictor(predictor, batching) : null;
    Inference inference = batcher != null ? batcher : Inference.direct(predictor);
    return start(
        new SingleModel(config.modelName(), predictor, inference),
        () -> batcher == null ? BatchingPredictor.Stats.NONE : batcher.stats(),
        () -> {
          try {
            if (batcher != null) {
              batcher.close();
            }
          } finally {
            predictor.close();
          }
        },
        config);
  }

  /**
   * Binds {@code config.host():config.port()} and serves the versions {@code models} loads (its own
   * batching; {@code config.modelName()} and {@code config.batching()} are not used); the server
   * then owns {@code models} and closes it with itself, or here if binding fails.
   */
  public static ServingServer start(ModelManager models, ServerConfig config) throws IOException {
    return start(models, models::batchStats, models, config);
  }

  private static ServingServer start(
      ServedModels models,
      Supplier<BatchingPredictor.Stats> batchStats,
      AutoCloseable closeModels,
      ServerConfig config)
      throws IOException {
    ServingServer server = new ServingServer(models, batchStats, closeModels, config);
    try {
      server.bind(config);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    IdleMemoryReturn.enable();
    return server;
  }

  private void bind(ServerConfig config) throws IOException {
    ImageHandler images = new ImageHandler(decodes, config.clients().maxImagePixels());
    http.start(
        new Router(
            new ModelApi(models, config, images, requestMetrics),
            new ServerMetrics(http.counters(), batchStats, requestMetrics),
            new StaticFiles(models.names().get(0))));
    if (config.grpcPort() != ServerConfig.NO_GRPC) {
      ClientLimits limits = config.clients();
      grpc =
          GrpcServer.start(
              new GrpcServer.Settings(
                  config.host(),
                  config.grpcPort(),
                  config.threads(),
                  config.maxBodyBytes(),
                  config.maxInstances(),
                  limits.maxConnections(),
                  GrpcServer.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
                  limits.idleTimeoutMillis()),
              models,
              requestMetrics,
              http.bodyBudget()); // one memory budget for REST bodies and gRPC messages
    }
  }

  /** What this server serves, as TF Serving's APIs see it. */
  public ServedModels models() {
    return models;
  }

  /** {@code http://host:port}, with the port actually bound. */
  public URI url() {
    return http.url();
  }

  public int port() {
    return http.port();
  }

  /**
   * Where model requests are counted for TF Serving's metrics on this server's metrics page: the
   * REST API reports here, and so should any other entrypoint (gRPC) serving the same models.
   */
  public RequestMetrics requestMetrics() {
    return requestMetrics;
  }

  /** The gRPC port bound, or {@link ServerConfig#NO_GRPC} without one. */
  public int grpcPort() {
    return grpc != null ? grpc.port() : ServerConfig.NO_GRPC;
  }

  /** The most requests that were being handled at the same time since start. */
  public int peakConcurrentRequests() {
    return http.counters().peakConcurrentRequests();
  }

  /** Requests admitted since start (the server's own count, for tests). */
  long requestsAdmitted() {
    return http.counters().requestsAdmitted();
  }

  /** Connections open now. */
  int openConnections() {
    return http.counters().openConnections();
  }

  /** Connections whose request has begun and not yet fully arrived. */
  int readingRequests() {
    return http.counters().readingRequests();
  }

  /** Session runs, requests and images through the batchers so far (zeros without batching). */
  BatchingPredictor.Stats batchStats() {
    return batchStats.get();
  }

  /** Blocks until {@link #close} has finished (from any thread, e.g. a shutdown hook). */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /**
   * Stops admitting requests (REST and gRPC), finishes those in flight, releases the ports, closes
   * the model.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    try {
      if (grpc != null) {
        grpc.stopAdmitting(); // both APIs drain at once
      }
      http.stop();
      if (grpc != null) {
        grpc.close();
      }
      decodes.shutdown();
      decodes.awaitTermination(HttpServer.DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        closeModels.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing the models failed", e);
      } finally {
        closed.countDown();
      }
    }
  }

  private void awaitQuietly() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
