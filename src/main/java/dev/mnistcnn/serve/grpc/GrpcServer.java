package dev.mnistcnn.serve.grpc;

import dev.mnistcnn.serve.http.BodyBudget;
import dev.mnistcnn.serve.http.HttpServer;
import dev.mnistcnn.serve.models.RequestMetrics;
import dev.mnistcnn.serve.models.ServedModels;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TF Serving's gRPC services on grpc-java's Netty server, with the REST server's bounds.
 *
 * <p>Threads, all daemons, all stopped by {@link #close}: one acceptor and one event loop per core
 * (network I/O), and a fixed pool of {@code threads} that runs the calls (and, without batching,
 * the model).
 *
 * <p>Bounds: messages over {@code maxMessageBytes} get RESOURCE_EXHAUSTED (grpc-java's check,
 * before the message is parsed); at most {@code maxConcurrentCallsPerConnection} calls at once on
 * one connection (HTTP/2's MAX_CONCURRENT_STREAMS: a client waits for a free stream); connections
 * beyond {@code maxConnections} are closed as they are accepted ({@link LimitedServerChannel}); a
 * connection without calls for {@code idleTimeoutMillis} is closed with a GOAWAY; the server pings
 * a silent connection every minute and drops it if the ping goes unanswered for 20 s, and closes
 * connections of clients that ping more often than every 10 s.
 */
public final class GrpcServer implements AutoCloseable {
  /** How long {@link #close} waits for calls in flight, as the REST server does. */
  public static final long DRAIN_MILLIS = HttpServer.DRAIN_MILLIS;

  /** Request metadata (headers) beyond this is refused, as the REST server's headers are. */
  private static final int MAX_METADATA_BYTES = 16384;

  private static final System.Logger LOG = System.getLogger(GrpcServer.class.getName());

  /**
   * Where to listen and what clients may hold.
   *
   * @param host address to bind
   * @param port TCP port; 0 picks a free one
   * @param threads calls running at once
   * @param maxMessageBytes larger request messages get RESOURCE_EXHAUSTED
   * @param maxInstances Predict requests with more images get INVALID_ARGUMENT
   * @param maxConnections open connections beyond this are closed at once
   * @param maxConcurrentCallsPerConnection HTTP/2 streams a client may open at once on one
   *     connection
   * @param idleTimeoutMillis a connection with no call for this long is closed
   */
  public record Settings(
      String host,
      int port,
      int threads,
      int maxMessageBytes,
      int maxInstances,
      int maxConnections,
      int maxConcurrentCallsPerConnection,
      long idleTimeoutMillis) {}

  /** Enough for a load generator's 64 streams on one connection, with room. */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION = 128;

  private final EventLoopGroup acceptor =
      new NioEventLoopGroup(1, HttpServer.daemonThreads("serve-grpc-accept"));
  private final EventLoopGroup io =
      new NioEventLoopGroup(
          Runtime.getRuntime().availableProcessors(), HttpServer.daemonThreads("serve-grpc-io"));
  private final ExecutorService calls;
  private final AtomicInteger openConnections = new AtomicInteger();
  private volatile boolean closing;
  private final Server server;

  private GrpcServer(Settings s, ServedModels models, RequestMetrics metrics, BodyBudget budget) {
    this.calls = Executors.newFixedThreadPool(s.threads(), HttpServer.daemonThreads("serve-grpc"));
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(s.host(), s.port()))
            .channelFactory(() -> new LimitedServerChannel(s.maxConnections(), openConnections))
            .bossEventLoopGroup(acceptor)
            .workerEventLoopGroup(io)
            .executor(calls)
            .maxInboundMessageSize(s.maxMessageBytes())
            .maxInboundMetadataSize(MAX_METADATA_BYTES)
            .maxConcurrentCallsPerConnection(s.maxConcurrentCallsPerConnection())
            .maxConnectionIdle(s.idleTimeoutMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTime(60, TimeUnit.SECONDS)
            .keepAliveTimeout(20, TimeUnit.SECONDS)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .intercept(new MessageBudget(budget))
            .intercept(new ClosingGate())
            .addService(new PredictionApi(models, s.maxInstances(), metrics))
            .addService(new ModelStatusApi(models, metrics))
            .build();
  }

  /**
   * Binds {@code settings.host():settings.port()} and serves {@code models}.
   *
   * @throws IOException "cannot listen on HOST:PORT (gRPC): ..." if the port is taken
   * @throws UnknownHostException if the host is neither an address nor a name that resolves
   */
  public static GrpcServer start(
      Settings settings, ServedModels models, RequestMetrics metrics, BodyBudget budget)
      throws IOException {
    if (new InetSocketAddress(settings.host(), settings.port()).isUnresolved()) {
      throw new UnknownHostException(
          "cannot listen on " + settings.host() + ": not an address or a known host name");
    }
    GrpcServer grpc = new GrpcServer(settings, models, metrics, budget);
    try {
      grpc.server.start();
    } catch (IOException | RuntimeException e) {
      grpc.close();
      if (e.getCause() instanceof BindException taken) { // grpc-java words it "Failed to bind"
        throw new IOException(
            "cannot listen on "
                + settings.host()
                + ":"
                + settings.port()
                + " (gRPC): "
                + String.valueOf(taken.getMessage()).toLowerCase(Locale.ROOT),
            e);
      }
      throw e;
    }
    return grpc;
  }

  public int port() {
    return server.getPort();
  }

  /** Connections open now. */
  public int openConnections() {
    return openConnections.get();
  }

  /**
   * New calls get UNAVAILABLE and no connection is accepted; calls in flight go on. {@link #close}
   * then waits for them.
   */
  public void stopAdmitting() {
    closing = true;
    server.shutdown();
  }

  /**
   * Stops admitting calls, lets those in flight finish (up to {@link #DRAIN_MILLIS}), closes the
   * connections and stops the threads.
   */
  @Override
  public void close() {
    stopAdmitting();
    try {
      if (!server.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.log(Level.WARNING, "gRPC calls still running after " + DRAIN_MILLIS + " ms; stopping");
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      calls.shutdown();
      acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  /** UNAVAILABLE for a call that arrives while the server closes (on a connection still open). */
  private final class ClosingGate implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      if (closing) {
        call.close(
            Status.UNAVAILABLE.withDescription("the server is shutting down"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
