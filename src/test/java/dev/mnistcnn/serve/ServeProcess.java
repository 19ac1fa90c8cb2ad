package dev.mnistcnn.serve;

import dev.mnistcnn.TestData;
import dev.mnistcnn.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real {@code serve} command in its own JVM, on an ephemeral loopback port. */
final class ServeProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)$");

  private final Process process;
  private final URI url;
  private final Path stderr;

  private ServeProcess(Process process, URI url, Path stderr) {
    this.process = process;
    this.url = url;
    this.stderr = stderr;
  }

  /** Starts {@code serve} on the shipped model with {@code jvmOptions} and {@code serveOptions}. */
  static ServeProcess start(List<String> jvmOptions, List<String> serveOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of("serve", "--model", TestData.shippedModel().toString(), "--port", "0"));
    command.addAll(serveOptions);
    Path stderr = Files.createTempFile("serve-stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2"); // no quieting relaunch: one JVM
    Process process = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    Matcher m = first == null ? null : URL.matcher(first);
    if (m == null || !m.find()) {
      process.destroyForcibly();
      throw new IOException("serve did not start: " + first + "\n" + Files.readString(stderr));
    }
    Thread drain = new Thread(() -> out.lines().forEach(line -> {}), "serve-stdout");
    drain.setDaemon(true);
    drain.start();
    return new ServeProcess(process, URI.create(m.group(1)), stderr);
  }

  URI url() {
    return url;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The server JVM's resident memory, from /proc. */
  long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", "" + process.pid(), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /** SIGTERM, as Ctrl-C; forcibly if it has not stopped within 60 s. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stderr);
  }
}
