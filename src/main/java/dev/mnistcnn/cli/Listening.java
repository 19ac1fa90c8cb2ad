package dev.mnistcnn.cli;

import dev.mnistcnn.serve.ServerConfig;
import dev.mnistcnn.serve.ServingServer;
import java.io.IOException;
import java.net.BindException;
import java.util.Locale;

/** Starts a server for a command: a taken port is one line, and Ctrl-C closes it cleanly. */
final class Listening {
  /** How a command starts its server. */
  @FunctionalInterface
  interface Starter {
    ServingServer start() throws IOException;
  }

  private Listening() {}

  static ServingServer start(ServerConfig config, Starter starter) throws IOException {
    ServingServer server;
    try {
      server = starter.start();
    } catch (BindException e) {
      throw new IOException(
          "cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage().toLowerCase(Locale.ROOT),
          e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "serve-shutdown"));
    return server;
  }
}
