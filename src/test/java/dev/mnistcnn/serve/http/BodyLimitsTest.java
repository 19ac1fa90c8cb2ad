package dev.mnistcnn.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How a body is kept: one array, handed on whole with its last part. A body whose declared length
 * is within the per-body grant gets an array of exactly that size at once (no grow-and-copy per
 * predict call); a chunked body, or a large one, starts small and grows as it arrives.
 */
@Tag(Tier.FAST)
class BodyLimitsTest {
  private static final int MAX_BODY = 4 << 20;

  @Test
  void theFirstArrayHoldsADeclaredSmallBodyWholeAndStartsSmallOtherwise() {
    assertEquals(5341, BodyLimits.initialCapacity(true, 5341));
    assertEquals(BodyBudget.FREE_BYTES, BodyLimits.initialCapacity(true, BodyBudget.FREE_BYTES));
    assertEquals(4096, BodyLimits.initialCapacity(true, BodyBudget.FREE_BYTES + 1));
    assertEquals(4096, BodyLimits.initialCapacity(false, MAX_BODY));
    assertEquals(10, BodyLimits.initialCapacity(true, 10));
  }

  @Test
  void aDeclaredSmallBodyIsOneArrayOfItsSizeWhateverTheParts() {
    byte[] body = body(5341);
    LastHttpContent last = send(request(body.length), body, 1000);
    ByteBuf kept = last.content();
    assertEquals(body.length, kept.capacity(), "allocated once, at the declared size");
    assertTrue(kept.hasArray());
    assertEquals(
        new String(body, StandardCharsets.US_ASCII), kept.toString(StandardCharsets.US_ASCII));
    last.release();
  }

  @Test
  void chunkedAndLargeBodiesStartSmallAndGrowAsTheyArrive() {
    byte[] chunked = body(6000);
    HttpRequest head = request(-1);
    LastHttpContent last = send(head, chunked, 1000);
    assertEquals(chunked.length, last.content().readableBytes());
    assertTrue(last.content().capacity() >= chunked.length);
    last.release();

    byte[] large = body(BodyBudget.FREE_BYTES + 1);
    EmbeddedChannel channel = new EmbeddedChannel(limits());
    channel.writeInbound(request(large.length));
    channel.readInbound();
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(large, 0, 100)));
    channel.writeInbound(
        new DefaultLastHttpContent(Unpooled.wrappedBuffer(large, 100, large.length - 100)));
    LastHttpContent whole = assertInstanceOf(LastHttpContent.class, channel.readInbound());
    assertEquals(large.length, whole.content().readableBytes());
    whole.release();
    channel.finishAndReleaseAll();
  }

  private static LastHttpContent send(HttpRequest head, byte[] body, int part) {
    EmbeddedChannel channel = new EmbeddedChannel(limits());
    channel.writeInbound(head);
    assertInstanceOf(HttpRequest.class, channel.readInbound());
    for (int from = 0; from < body.length; from += part) {
      int n = Math.min(part, body.length - from);
      ByteBuf bytes = Unpooled.wrappedBuffer(body, from, n);
      channel.writeInbound(
          from + n == body.length
              ? new DefaultLastHttpContent(bytes)
              : new DefaultHttpContent(bytes));
    }
    LastHttpContent last = assertInstanceOf(LastHttpContent.class, channel.readInbound());
    channel.finishAndReleaseAll();
    return last;
  }

  private static BodyLimits limits() {
    return new BodyLimits(MAX_BODY, new BodyBudget(64L << 20), new HttpCounters(new RequestGate()));
  }

  private static HttpRequest request(int contentLength) {
    HttpRequest r =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/models/m:predict");
    if (contentLength >= 0) {
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    } else {
      r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return r;
  }

  private static byte[] body(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }
}
