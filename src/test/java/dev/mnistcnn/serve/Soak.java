package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.support.Png;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A soak run against the real {@code serve} in its own JVM: many clients at once for a while, a mix
 * of good requests (predict, image), bad ones (broken bodies, bad images) and slow clients (headers
 * or body a byte at a time), while the server's resident memory is sampled.
 *
 * <p>{@code main} is the long run ({@code tools/bench/soak.sh}); {@link SoakTest} runs a short one.
 * Passes when good clients get only 200s and no connection error, nobody gets a 5xx, and resident
 * memory after the warm-up third stays flat.
 */
final class Soak {
  /** Growth of resident memory after warm-up that still counts as flat. */
  static final long FLAT_KB = 32 * 1024;

  enum Role {
    GOOD_PREDICT,
    GOOD_IMAGE,
    BAD_BODY,
    BAD_IMAGE,
    SLOW
  }

  /** What one run saw. */
  record Result(
      Map<String, Long> answers,
      long goodFailures,
      long serverErrors,
      long slowCutOffs,
      List<Long> rssKb,
      long rssAfterWarmUpKb,
      long rssMaxAfterWarmUpKb) {
    long goodAnswers() {
      return answers.entrySet().stream()
          .filter(e -> e.getKey().startsWith("GOOD_") && e.getKey().endsWith(" 200"))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    boolean memoryFlat() {
      return rssMaxAfterWarmUpKb - rssAfterWarmUpKb <= FLAT_KB;
    }

    boolean passed() {
      return goodFailures == 0 && serverErrors == 0 && memoryFlat() && goodAnswers() > 0;
    }

    String report() {
      StringBuilder s = new StringBuilder();
      answers.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-22s %,d%n", k, v)));
      s.append(
          String.format(
              Locale.ROOT,
              "good answers %,d, good failures %d, 5xx %d, slow clients cut off (408) %d%n",
              goodAnswers(),
              goodFailures,
              serverErrors,
              slowCutOffs));
      s.append(
          String.format(
              Locale.ROOT,
              "rss after warm-up %,d kB, max after %,d kB (+%,d kB), samples %s%n",
              rssAfterWarmUpKb,
              rssMaxAfterWarmUpKb,
              rssMaxAfterWarmUpKb - rssAfterWarmUpKb,
              rssKb));
      return s.toString();
    }
  }

  private final URI base;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final LongAdder goodFailures = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final LongAdder slowCutOffs = new LongAdder();
  private final List<byte[]> predictBodies = new ArrayList<>();
  private final List<byte[]> pngs = new ArrayList<>();
  private volatile boolean running = true;

  private Soak(URI base) {
    this.base = base;
    this.port = base.getPort();
    float[] images = ServeTestSupport.testImages().imagesAsFloats(0, 16);
    for (int i = 0; i < 16; i++) {
      ObjectNode body = JSON.createObjectNode();
      body.putArray("instances").add(imageJson(images, i, 28, 28, 1));
      predictBodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
      pngs.add(ServeTestSupport.png(images, i));
    }
  }

  /** Soaks the server at {@code base} (whose resident memory {@code server} reads). */
  static Result run(ServeProcess server, int clients, Duration duration, Duration warmUp)
      throws Exception {
    return new Soak(server.url()).soak(server, clients, duration, warmUp);
  }

  private Result soak(ServeProcess server, int clients, Duration duration, Duration warmUp)
      throws Exception {
    List<Thread> threads = new ArrayList<>();
    Role[] mix = {
      Role.GOOD_PREDICT, Role.GOOD_PREDICT, Role.GOOD_PREDICT, Role.GOOD_PREDICT,
      Role.GOOD_IMAGE, Role.BAD_BODY, Role.BAD_IMAGE, Role.SLOW
    };
    for (int c = 0; c < clients; c++) {
      Role role = mix[c % mix.length];
      int id = c;
      Thread t = new Thread(() -> client(role, id), "soak-" + role + "-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    List<Long> rss = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    long warmUpEnd = System.nanoTime() + warmUp.toNanos();
    long rssAfterWarmUp = -1;
    long rssMax = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(1000);
      long kb = server.residentKb();
      rss.add(kb);
      if (System.nanoTime() >= warmUpEnd) {
        if (rssAfterWarmUp < 0) {
          rssAfterWarmUp = kb;
        }
        rssMax = Math.max(rssMax, kb);
      }
    }
    running = false;
    for (Thread t : threads) {
      t.join(30_000);
    }
    Map<String, Long> counts = new TreeMap<>();
    answers.forEach((k, v) -> counts.put(k, v.sum()));
    return new Result(
        counts,
        goodFailures.sum(),
        serverErrors.sum(),
        slowCutOffs.sum(),
        rss,
        rssAfterWarmUp,
        rssMax);
  }

  private void client(Role role, int id) {
    for (long n = id; running; n++) {
      int i = (int) (n % predictBodies.size());
      try {
        switch (role) {
          case GOOD_PREDICT -> send(role, post("/v1/models/mnist:predict", predictBodies.get(i)));
          case GOOD_IMAGE -> send(role, post("/v1/models/mnist:classify-image", pngs.get(i)));
          case BAD_BODY -> send(role, post("/v1/models/mnist:predict", badBody(n)));
          case BAD_IMAGE -> send(role, post("/v1/models/mnist:classify-image", badImage(n)));
          case SLOW -> slow(n % 2 == 0);
        }
      } catch (IOException e) {
        if (role == Role.GOOD_PREDICT || role == Role.GOOD_IMAGE) {
          goodFailures.increment();
          System.err.println(role + ": " + e);
        }
        count(role + " " + e.getClass().getSimpleName());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private HttpRequest post(String path, byte[] body) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private void send(Role role, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    int status = r.statusCode();
    count(role + " " + status);
    if (status >= 500) {
      serverErrors.increment();
    }
    boolean good = role == Role.GOOD_PREDICT || role == Role.GOOD_IMAGE;
    if (good && status != 200) {
      goodFailures.increment();
      System.err.println(
          role + " got " + status + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  private byte[] badBody(long n) {
    String body =
        switch ((int) (n % 4)) {
          case 0 -> "{\"instances\": [";
          case 1 -> "{\"instances\": [[1, 2, 3]]}";
          case 2 -> "{\"instances\": [" + "[" + "255,".repeat(783) + "255]" + "]}";
          default -> "not json at all " + "x".repeat(1000);
        };
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] badImage(long n) {
    return switch ((int) (n % 3)) {
      case 0 -> "not a picture".getBytes(StandardCharsets.UTF_8);
      case 1 -> Png.headerOnly(6300, 6300, 16, Png.Colour.GREY);
      default -> ServeTestSupport.png(new float[784], 0); // blank: no digit, 422
    };
  }

  /**
   * One slow request: headers (or, with a full header, the body) a byte every 100 ms until the
   * server cuts it off with 408 or the run ends.
   */
  private void slow(boolean headers) throws IOException, InterruptedException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(100);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(
          (headers
                  ? "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: soak\r\nX-Slow: "
                  : "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: soak\r\n"
                      + "Content-Length: 100000\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      while (running) {
        try {
          out.write('a');
          out.flush();
        } catch (IOException closed) {
          break; // the server cut it off; its answer is in the input
        }
        try {
          if (in.read() >= 0) {
            break;
          }
        } catch (java.net.SocketTimeoutException stillWaiting) {
          continue;
        }
        break;
      }
      if (!running) {
        return;
      }
      s.setSoTimeout(10_000);
      byte[] rest = in.readNBytes(12);
      String reply = new String(rest, StandardCharsets.ISO_8859_1);
      count("SLOW " + (reply.contains("408") ? "408" : "other: " + reply.trim()));
      if (reply.contains("408")) {
        slowCutOffs.increment();
      }
    } catch (java.net.SocketTimeoutException e) {
      count("SLOW no answer");
    }
  }

  private void count(String key) {
    answers.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  /**
   * {@code Soak [SECONDS [CLIENTS [serve options...]]]}: starts {@code serve} with {@link
   * #jvmOptions()}, soaks it (the first third is warm-up), prints the report; exit status 1 if it
   * failed. Run by {@code tools/bench/soak.sh}.
   */
  @SuppressWarnings("try") // closed before System.exit, which would skip the try's own close
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    List<String> serveOptions = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
    try (ServeProcess server = ServeProcess.start(jvmOptions(), serveOptions)) {
      System.out.println(
          "soak: "
              + clients
              + " clients for "
              + seconds
              + " s against "
              + server.url()
              + " "
              + serveOptions
              + ", server JVM "
              + jvmOptions());
      Result result =
          run(server, clients, Duration.ofSeconds(seconds), Duration.ofSeconds(seconds / 3));
      System.out.print(result.report());
      System.out.println(result.passed() ? "PASSED" : "FAILED");
      server.close();
      System.exit(result.passed() ? 0 : 1);
    }
  }

  /** A fixed, pre-touched heap: resident memory then only grows if native memory leaks. */
  static List<String> jvmOptions() {
    return List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
  }
}
