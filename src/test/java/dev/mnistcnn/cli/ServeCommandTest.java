package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Cli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag(Tier.FAST)
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void helpDescribesTheOptions() {
    Cli.Run r = Cli.run("serve", "--help");
    assertEquals(0, r.code());
    for (String option : new String[] {"--model", "--host", "--port", "--name", "--threads"}) {
      assertTrue(r.out().contains(option), r.out());
    }
    assertTrue(Cli.run("--help").out().contains("serve"));
  }

  @Test
  void batchingAndConnectionOptionsAreDescribedAndChecked() {
    String help = Cli.run("serve", "--help").out();
    for (String option :
        new String[] {
          "--enable-batching", "--max-batch-size", "--batch-timeout-micros", "--max-connections"
        }) {
      assertTrue(help.contains(option), help);
    }
    String model = TestData.shippedModel().toString();
    Cli.run("serve", "--model", model, "--port", "0", "--max-batch-size", "8")
        .assertOneLineError("only with --enable-batching");
    Cli.run("serve", "--model", model, "--port", "0", "--enable-batching", "--max-batch-size", "0")
        .assertOneLineError("max batch size must be in 1..65536, got 0");
    Cli.run(
            "serve",
            "--model",
            model,
            "--port",
            "0",
            "--enable-batching",
            "--batch-timeout-micros",
            "-1")
        .assertOneLineError("batch timeout must be in 0..10000000 microseconds, got -1");
    Cli.run("serve", "--model", model, "--port", "0", "--max-connections", "0")
        .assertOneLineError("maxConnections=0");
  }

  @Test
  void badModelIsOneLineError() {
    Cli.run("serve", "--model", tmp.resolve("nope").toString(), "--port", "0")
        .assertOneLineError("not found");
  }

  @Test
  void badNameIsOneLineError() {
    Cli.run("serve", "--model", tmp.toString(), "--name", "a/b").assertOneLineError("model name");
  }

  @Test
  void portInUseIsOneLineError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Cli.run(
              "serve",
              "--model",
              TestData.shippedModel().toString(),
              "--port",
              String.valueOf(port))
          .assertOneLineError("cannot listen on 127.0.0.1:" + port + ": address already in use");
    }
  }

  @Test
  void hostThatIsNoAddressIsOneLineError() {
    Cli.run(
            "serve",
            "--model",
            TestData.shippedModel().toString(),
            "--host",
            "999.1.1.1",
            "--port",
            "0")
        .assertOneLineError("cannot listen on 999.1.1.1: not an address or a known host name");
  }

  /** The real program in its own JVM: prints its URL, serves, and stops cleanly on SIGTERM. */
  @Test
  void servesUntilSigtermThenReleasesThePort() throws Exception {
    ProcessBuilder pb =
        Jvm.program(
            false,
            "serve",
            "--model",
            TestData.shippedModel().toString(),
            "--port",
            "0",
            "--name",
            "digits",
            "--threads",
            "2");
    pb.redirectError(tmp.resolve("stderr.txt").toFile());
    Process server = pb.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertTrue(first != null && first.startsWith("Serving "), "first line: " + first);
      Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:(\\d+))$").matcher(first);
      assertTrue(m.find(), first);
      URI base = URI.create(m.group(1));
      int port = Integer.parseInt(m.group(2));

      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> status =
          client.send(
              HttpRequest.newBuilder(base.resolve("/v1/models/digits")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      assertTrue(status.body().contains("AVAILABLE"), status.body());

      server.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook stops the server
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "stopped");
      assertEquals(143, server.exitValue(), "the exit status of a SIGTERM'd JVM");
      try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(port, again.getLocalPort());
      }
    } finally {
      server.destroyForcibly();
    }
    String err = java.nio.file.Files.readString(tmp.resolve("stderr.txt"));
    assertFalse(err.contains("Exception"), err);
  }
}
