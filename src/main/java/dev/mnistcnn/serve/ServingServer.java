package dev.mnistcnn.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mnistcnn.inference.Predictor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model server: TF Serving's REST API, the image endpoint, {@code /healthz} and the drawing
 * page, on the JDK's HTTP server with a fixed pool of request threads sharing one {@link
 * Predictor}.
 *
 * <p>Owns the predictor: {@link #close} stops admitting requests (new ones get 503), lets those in
 * flight finish, releases the port, then closes the predictor.
 */
public final class ServingServer implements AutoCloseable {
  /** How long {@link #close} waits for requests in flight. */
  static final long DRAIN_MILLIS = 30_000;

  private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private static final System.Logger LOG = System.getLogger(ServingServer.class.getName());

  private final HttpServer http;
  private final ExecutorService threads;
  private final Predictor predictor;
  private final RequestGate gate = new RequestGate();
  private final ModelApi modelApi;
  private final StaticFiles page;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private ServingServer(HttpServer http, ExecutorService threads, Predictor predictor,
      ServerConfig config) {
    this.http = http;
    this.threads = threads;
    this.predictor = predictor;
    this.modelApi = new ModelApi(predictor, config);
    this.page = new StaticFiles(config.modelName());
  }

  /**
   * Binds {@code config.host():config.port()} and starts serving {@code predictor}, which the
   * server then owns (it is closed with the server, or here if binding fails).
   *
   * @throws java.net.BindException if the port is taken
   */
  public static ServingServer start(Predictor predictor, ServerConfig config) throws IOException {
    // TCP_NODELAY: the JDK server writes headers and body separately, and with Nagle's algorithm
    // the body then waits for the client's delayed ACK, 40 ms a response on Linux. Read once, when
    // the JDK's server first starts, so set it before; an explicit -D setting wins.
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
    } catch (IOException | RuntimeException e) {
      predictor.close();
      throw e;
    }
    ExecutorService threads = Executors.newFixedThreadPool(config.threads(), new NamedThreads());
    ServingServer server = new ServingServer(http, threads, predictor, config);
    http.createContext("/", server::handle);
    http.setExecutor(threads);
    http.start();
    return server;
  }

  /** {@code http://host:port}, with the port actually bound. */
  public URI url() {
    InetSocketAddress a = http.getAddress();
    String host =
        a.getAddress() instanceof Inet6Address
            ? "[" + a.getAddress().getHostAddress() + "]"
            : a.getAddress().getHostAddress();
    return URI.create("http://" + host + ":" + a.getPort());
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The most requests that were being handled at the same time since start. */
  public int peakConcurrentRequests() {
    return gate.peak();
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
      http.stop(0);
      threads.shutdown();
      threads.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
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

  /** Every request: admission, routing, and turning every failure into a JSON answer. */
  private void handle(HttpExchange exchange) {
    if (!gate.tryEnter()) {
      exchange.getResponseHeaders().set("Connection", "close");
      respond(exchange, HttpStatus.UNAVAILABLE, "server is shutting down");
      return;
    }
    try {
      route(exchange).handle(exchange);
    } catch (ApiException e) {
      respond(exchange, e.status(), e.getMessage());
    } catch (IOException e) {
      // the client went away mid-request; nothing to answer
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "request " + exchange.getRequestURI() + " failed", e);
      respond(exchange, HttpStatus.INTERNAL_ERROR, "internal error; see the server log");
    } finally {
      exchange.close();
      gate.exit();
    }
  }

  private Endpoint route(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    if (path.startsWith(ModelApi.PREFIX)) {
      return modelApi;
    }
    if (path.equals("/healthz") || path.equals("/health")) {
      return ServingServer::health;
    }
    if (page.serves(path)) {
      return page;
    }
    return e -> {
      throw ModelApi.malformed(e);
    };
  }

  private static void health(HttpExchange exchange) throws IOException, ApiException {
    Exchanges.requireMethod(exchange, "GET");
    Exchanges.sendJson(exchange, HttpStatus.OK, java.util.Map.of("status", "ok"));
  }

  /** Sends an error unless a response has already started, in which case there is no way to. */
  private static void respond(HttpExchange exchange, int status, String message) {
    if (exchange.getResponseCode() != -1) {
      return;
    }
    try {
      Exchanges.sendError(exchange, status, message);
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Daemon threads named serve-1, serve-2, ...: visible in thread dumps, never keep the JVM up. */
  private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "serve-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
