package dev.mnistcnn.serve.http;

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
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 on Netty: binds the port, builds each connection's pipeline (see the package comment)
 * and runs the complete requests on a fixed request pool, answering every one through one {@link
 * Endpoint}.
 *
 * <p>Threads: Netty's event loops (one per core) do all network I/O without blocking, so slow or
 * idle clients hold no thread; endpoints run on the request pool ({@code threads}).
 */
public final class HttpServer {
  /** How long {@link #stop} waits for requests in flight. */
  public static final long DRAIN_MILLIS = 30_000;

  private static final int MAX_REQUEST_LINE = 8192;
  private static final int MAX_HEADER_BYTES = 16384;
  private static final int MAX_CHUNK_BYTES = 65536;

  private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

  static {
    // Netty would log through SLF4J, which jhdf puts on the class path without a binding: it
    // would print a warning at start. The JDK's logging, like the rest of the program, instead.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
  }

  /**
   * Where to listen and what clients may hold.
   *
   * @param host address to bind
   * @param port TCP port; 0 picks a free one
   * @param threads the request pool, which runs the endpoints
   * @param maxBodyBytes larger request bodies get 413
   * @param maxConnections open connections beyond this make room or are refused (503)
   * @param headerTimeoutMillis from a request's first byte to the end of its headers; then 408
   * @param bodyTimeoutMillis from the end of the headers to the end of the body; then 408
   * @param idleTimeoutMillis a kept-alive connection with no request begun is closed after this
   * @param maxBufferedBytes body bytes all connections together may hold beyond the first 64 kB of
   *     each body; a body that would pass it gets 503
   */
  public record Settings(
      String host,
      int port,
      int threads,
      int maxBodyBytes,
      int maxConnections,
      long headerTimeoutMillis,
      long bodyTimeoutMillis,
      long idleTimeoutMillis,
      long maxBufferedBytes) {}

  private final Settings settings;
  private final EventLoopGroup acceptor = new NioEventLoopGroup(1, daemonThreads("serve-accept"));
  private final EventLoopGroup io =
      new NioEventLoopGroup(Runtime.getRuntime().availableProcessors(), daemonThreads("serve-io"));
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ExecutorService work;
  private final RequestGate gate = new RequestGate();
  private final HttpCounters counters = new HttpCounters(gate);
  private final BodyBudget budget;
  private Channel listener;

  /** Threads and counters, not yet listening: {@link #start} binds. */
  public HttpServer(Settings settings) {
    this.settings = settings;
    this.work = Executors.newFixedThreadPool(settings.threads(), daemonThreads("serve"));
    this.budget = new BodyBudget(settings.maxBufferedBytes());
  }

  /** The memory request bodies may hold, for other entrypoints of the same server to share. */
  public BodyBudget bodyBudget() {
    return budget;
  }

  /**
   * Binds {@code settings.host():settings.port()} and answers every request through {@code
   * endpoint}.
   *
   * @throws java.net.BindException if the port is taken
   * @throws UnknownHostException if the host is neither an address nor a name that resolves
   */
  public void start(Endpoint endpoint) throws IOException {
    ConnectionLimiter limiter = new ConnectionLimiter(settings.maxConnections(), counters);
    RequestFraming framing = new RequestFraming();
    Dispatcher dispatcher = new Dispatcher(gate, endpoint, work, counters);
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
                    Settings s = settings;
                    RequestClock clock =
                        new RequestClock(s.headerTimeoutMillis(), s.bodyTimeoutMillis(), counters);
                    channel
                        .pipeline()
                        .addLast(limiter)
                        .addLast(clock.firstByteWatch())
                        .addLast(
                            new IdleStateHandler(
                                0, 0, s.idleTimeoutMillis(), TimeUnit.MILLISECONDS))
                        .addLast(
                            new RequestDecoder(MAX_REQUEST_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                        .addLast(new HttpResponseEncoder())
                        .addLast(new FlowControlHandler())
                        .addLast(framing)
                        .addLast(new BodyLimits(s.maxBodyBytes(), budget, counters))
                        .addLast(clock)
                        .addLast(new BodyAggregator(s.maxBodyBytes()))
                        .addLast(new HttpServerKeepAliveHandler())
                        .addLast(dispatcher);
                  }
                });
    InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
    if (address.isUnresolved()) { // NIO would throw a bare UnresolvedAddressException
      throw new UnknownHostException(
          "cannot listen on " + settings.host() + ": not an address or a known host name");
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

  public HttpCounters counters() {
    return counters;
  }

  /**
   * Stops admitting requests (new ones get 503), lets those in flight finish (up to {@link
   * #DRAIN_MILLIS}), releases the port, closes the connections and stops the threads.
   */
  public void stop() throws InterruptedException {
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
    work.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Daemon threads named prefix-1, prefix-2, ...: visible in dumps, never keep the JVM up. */
  public static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
