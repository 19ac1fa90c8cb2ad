package dev.mnistcnn.serve;

import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.BatchingPredictor;
import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model server: TF Serving's REST API, the image endpoint, {@code /healthz}, metrics and the
 * drawing page, on Netty.
 *
 * <p>Threads: Netty's event loops (one per core) do all network I/O without blocking, so slow or
 * idle clients hold no thread; complete requests go to a fixed request pool (JSON and, batched or
 * not, the model); image decodes to their own bounded pool.
 *
 * <p>Owns the predictor: {@link #close} stops admitting requests (new ones get 503), lets those in
 * flight finish, releases the port, then closes the predictor.
 */
public final class ServingServer implements AutoCloseable {
  /** How long {@link #close} waits for requests in flight. */
  static final long DRAIN_MILLIS = 30_000;

  private static final int MAX_REQUEST_LINE = 8192;
  private static final int MAX_HEADER_BYTES = 16384;

  private static final System.Logger LOG = System.getLogger(ServingServer.class.getName());

  static {
    // Netty would log through SLF4J, which jhdf puts on the class path without a binding: it
    // would print a warning at start. The JDK's logging, like the rest of the program, instead.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
  }

  private final EventLoopGroup acceptor = new NioEventLoopGroup(1, threads("serve-accept"));
  private final EventLoopGroup io =
      new NioEventLoopGroup(Runtime.getRuntime().availableProcessors(), threads("serve-io"));
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ExecutorService work;
  private final ThreadPoolExecutor decodes;
  private final BatchingPredictor batcher;
  private final Predictor predictor;
  private final RequestGate gate = new RequestGate();
  private final ServerMetrics metrics;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private Channel listener;

  private ServingServer(Predictor predictor, ServerConfig config) {
    this.predictor = predictor;
    this.work = Executors.newFixedThreadPool(config.threads(), threads("serve"));
    ClientLimits limits = config.clients();
    this.decodes =
        new ThreadPoolExecutor(
            limits.maxConcurrentDecodes(),
            limits.maxConcurrentDecodes(),
            0,
            TimeUnit.SECONDS,
            limits.maxQueuedDecodes() == 0
                ? new java.util.concurrent.SynchronousQueue<>()
                : new ArrayBlockingQueue<>(limits.maxQueuedDecodes()),
            threads("serve-image"));
    BatchingConfig batching = config.batching();
    this.batcher = batching.enabled() ? new BatchingPredictor(predictor, batching) : null;
    this.metrics = new ServerMetrics(gate, batcher == null ? null : batcher::stats);
  }

  /**
   * Binds {@code config.host():config.port()} and starts serving {@code predictor}, which the
   * server then owns (it is closed with the server, or here if binding fails).
   *
   * @throws java.net.BindException if the port is taken
   * @throws UnknownHostException if the host is neither an address nor a name that resolves
   */
  public static ServingServer start(Predictor predictor, ServerConfig config) throws IOException {
    ServingServer server = new ServingServer(predictor, config);
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
    Inference inference = batcher != null ? batcher : Inference.direct(predictor);
    ImageHandler images = new ImageHandler(predictor, decodes, config.clients().maxImagePixels());
    Router router =
        new Router(
            new ModelApi(predictor, config, inference, images),
            metrics,
            new StaticFiles(config.modelName()));
    Dispatcher dispatcher = new Dispatcher(gate, router, work, metrics);
    ConnectionLimiter limiter = new ConnectionLimiter(config.clients().maxConnections(), metrics);
    BodyBudget budget = new BodyBudget(config.clients().maxBufferedBytes());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    connections.add(channel);
                    HttpConnection connection =
                        new HttpConnection(
                            config.clients(), config.maxBodyBytes(), budget, dispatcher, metrics);
                    channel
                        .pipeline()
                        .addLast(limiter)
                        .addLast(connection.firstByteWatch())
                        .addLast(new RequestDecoder(MAX_REQUEST_LINE, MAX_HEADER_BYTES, 65536))
                        .addLast(new HttpResponseEncoder())
                        .addLast(connection);
                  }
                });
    InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
    if (address.isUnresolved()) { // NIO would throw a bare UnresolvedAddressException
      throw new UnknownHostException(
          "cannot listen on " + config.host() + ": not an address or a known host name");
    }
    try {
      listener = bootstrap.bind(address).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding", e);
    }
  }

  /** {@code http://host:port}, with the port actually bound. */
  public URI url() {
    InetSocketAddress a = (InetSocketAddress) listener.localAddress();
    String host =
        a.getAddress() instanceof Inet6Address
            ? "[" + a.getAddress().getHostAddress() + "]"
            : a.getAddress().getHostAddress();
    return URI.create("http://" + host + ":" + a.getPort());
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The most requests that were being handled at the same time since start. */
  public int peakConcurrentRequests() {
    return gate.peak();
  }

  /** Requests admitted since start (the server's own count, for tests). */
  long requestsAdmitted() {
    return gate.admitted();
  }

  /** Connections open now. */
  int openConnections() {
    return metrics.openConnections.get();
  }

  /** Session runs, requests and images through the batcher so far (zeros without batching). */
  BatchingPredictor.Stats batchStats() {
    return metrics.batches();
  }

  /** Blocks until {@link #close} has finished (from any thread, e.g. a shutdown hook). */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops admitting requests, finishes those in flight, releases the port, closes the model. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    try {
      gate.close();
      if (!gate.awaitIdle(DRAIN_MILLIS)) {
        LOG.log(Level.WARNING, "requests still running after " + DRAIN_MILLIS + " ms; stopping");
      }
      if (listener != null) {
        listener.close().awaitUninterruptibly();
      }
      connections.close().awaitUninterruptibly();
      acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      work.shutdown();
      decodes.shutdown();
      work.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
      decodes.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
      if (batcher != null) {
        batcher.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      predictor.close();
      closed.countDown();
    }
  }

  private void awaitQuietly() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Daemon threads named prefix-1, prefix-2, ...: visible in dumps, never keep the JVM up. */
  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
