package dev.mnistcnn.serve.grpc;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening socket, keeping open connections within a limit: a connection accepted beyond it is
 * closed at once, before any HTTP/2 byte (the client sees UNAVAILABLE and retries or fails).
 * grpc-java has no connection limit of its own, and its pipeline is not ours to extend, so the
 * limit sits where connections are accepted.
 */
final class LimitedServerChannel extends NioServerSocketChannel {
  private final int max;
  private final AtomicInteger open;

  LimitedServerChannel(int max, AtomicInteger open) {
    this.max = max;
    this.open = open;
  }

  @Override
  protected int doReadMessages(List<Object> accepted) throws Exception {
    int count = super.doReadMessages(accepted);
    if (count != 1) {
      return count;
    }
    Channel connection = (Channel) accepted.get(accepted.size() - 1);
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      accepted.remove(accepted.size() - 1);
      connection.unsafe().closeForcibly(); // never registered: closes the socket
      return 0;
    }
    connection.closeFuture().addListener(closed -> open.decrementAndGet());
    return count;
  }
}
