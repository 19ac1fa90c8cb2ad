package dev.mnistcnn.serve.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections and keeps them within the limit: each costs a file descriptor and
 * buffers, so a client opening thousands must not exhaust them. At the limit a new connection takes
 * the place of the connection that has waited longest on its client, idle ones (no request begun)
 * first, so silent or slow connections cannot lock others out; only when every connection is being
 * answered is the new one answered 503 and closed. First in every pipeline; the 503 is written as
 * raw bytes because no request has been read.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final String BODY = "{\"error\":\"too many connections; try again later\"}";
  private static final byte[] REFUSAL =
      ("HTTP/1.1 503 Service Unavailable\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: "
              + BODY.length()
              + "\r\n"
              + "Retry-After: 1\r\n"
              + "Connection: close\r\n\r\n"
              + BODY)
          .getBytes(StandardCharsets.US_ASCII);

  /** Tries to claim a victim; another thread may claim or answer the one picked first. */
  private static final int EVICTION_TRIES = 3;

  private final int max;
  private final HttpCounters counters;
  private final Set<RequestClock> open = ConcurrentHashMap.newKeySet();

  ConnectionLimiter(int max, HttpCounters counters) {
    this.max = max;
    this.counters = counters;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    // Over the limit only until the evicted connection, already claimed, has closed.
    if (counters.openConnections.incrementAndGet() > max && !evictOne()) {
      counters.refusedConnections.increment();
      ctx.channel().config().setAutoRead(false); // read no request from it
      ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    RequestClock clock = ctx.pipeline().get(RequestClock.class);
    if (clock != null) {
      open.add(clock);
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    counters.openConnections.decrementAndGet();
    RequestClock clock = ctx.pipeline().get(RequestClock.class);
    if (clock != null) {
      open.remove(clock);
    }
    super.channelInactive(ctx);
  }

  /** Evicts the connection waiting longest, idle ones first; false if none could be. */
  private boolean evictOne() {
    for (int i = 0; i < EVICTION_TRIES; i++) {
      RequestClock victim = null;
      for (RequestClock c : open) {
        if (c.evictable() && (victim == null || waitedLonger(c, victim))) {
          victim = c;
        }
      }
      if (victim == null) {
        return false;
      }
      if (victim.tryEvict()) {
        open.remove(victim);
        return true;
      }
    }
    return false;
  }

  private static boolean waitedLonger(RequestClock a, RequestClock b) {
    boolean aIdle = a.idle();
    if (aIdle != b.idle()) {
      return aIdle;
    }
    return a.waitingSince() - b.waitingSince() < 0;
  }
}
