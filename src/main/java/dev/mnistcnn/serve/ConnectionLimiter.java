package dev.mnistcnn.serve;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * Counts open connections and answers those over the limit with a 503 before closing them: each
 * open connection costs a file descriptor and buffers, so a client opening thousands must not
 * exhaust them for everyone. First in every pipeline; the answer is written as raw bytes because no
 * request has been read.
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

  private final int max;
  private final ServerMetrics metrics;

  ConnectionLimiter(int max, ServerMetrics metrics) {
    this.max = max;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (metrics.openConnections.incrementAndGet() > max) {
      metrics.refusedConnections.increment();
      ctx.channel().config().setAutoRead(false); // read no request from it
      ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    metrics.openConnections.decrementAndGet();
    super.channelInactive(ctx);
  }
}
