package dev.mnistcnn.cli;

import dev.mnistcnn.serve.ServerConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The server's own limits, shared by {@code serve} and {@code model-server}. */
final class ServerOptions {
  @Option(
      names = "--run-timeout-ms",
      defaultValue = "10000",
      description =
          "Compute allowed to one request's model run, in ms; past it the answer is 504"
              + " (default: ${DEFAULT-VALUE}; 0: no limit).")
  long runTimeoutMs;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Request threads, i.e. inferences at once (default: twice the cores, at" + " least 4).")
  Integer threads;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "Open connections beyond this are answered 503 (default: 1000).")
  Integer maxConnections;

  Duration runTimeout() {
    if (runTimeoutMs < 0) {
      throw new IllegalArgumentException("--run-timeout-ms must be 0 or more");
    }
    return Duration.ofMillis(runTimeoutMs);
  }

  /** {@code config} with these threads and connection limit where given. */
  ServerConfig applyTo(ServerConfig config) {
    ServerConfig c = config.withThreads(threads != null ? threads : ServerConfig.defaultThreads());
    return maxConnections == null
        ? c
        : c.withClients(c.clients().withMaxConnections(maxConnections));
  }
}
