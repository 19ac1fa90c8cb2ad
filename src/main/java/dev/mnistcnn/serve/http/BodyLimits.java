package dev.mnistcnn.serve.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;

/**
 * What a request body may cost, decided as it arrives, before {@link BodyAggregator}.
 *
 * <p>The body is copied out of Netty's pooled read buffers into one heap buffer, which grows as it
 * arrives (never past the declared length) and is handed on whole with the body's last part: the
 * read buffers return to the pool at once (a retained slice of one would pin a whole pooled chunk
 * per stalled client, memory the pool then keeps), and the array goes to the endpoint without
 * another copy. Its capacity beyond {@link BodyBudget#FREE_BYTES} is charged to the shared budget
 * until the request is answered. One array, as before, not a composite of small ones: the garbage
 * collector gives a large dead array back to the OS at once (a G1 humongous region), while small
 * ones, promoted among live data, stay: 400 stalled 4 MB bodies kept in 64 kB slabs left the server
 * up to 250 MB larger after they left, 10-30 MB in one array. Kept here rather than in the
 * aggregator, which cannot let go of a body it has begun: a refused body's memory and budget go
 * back at once, not after the rest of it has been read away.
 *
 * <p>A body over the limit (declared or counted), or one the budget cannot hold, is read away and
 * then refused, 413 or 503 with Retry-After, as the decoder result of its last part: a client still
 * sending would otherwise meet a reset connection instead of the answer. Past {@link
 * #DISCARD_MAX_BYTES} the refusal goes at once and the connection closes; a body announced too
 * large with {@code Expect: 100-continue} is refused before the client sends it.
 */
// Netty reports failed writes to exceptionCaught; nothing here waits on their futures.
@SuppressWarnings("FutureReturnValueIgnored")
final class BodyLimits extends ChannelDuplexHandler {
  /** The most of a refused body read away before the answer goes anyway. */
  static final long DISCARD_MAX_BYTES = 64L << 20;

  private static final int INITIAL_BYTES = 4096;

  private final int maxBodyBytes;
  private final BodyBudget budget;
  private final HttpCounters counters;

  // The current request's body.
  private boolean declared; // by Content-Length
  private long expected; // the declared length, or the limit for a chunked body
  private long kept;
  private ByteBuf body; // until handed on
  private long charged; // to the budget, for the body's capacity, until answered
  private ApiException refusal; // set: the body is read away, then refused
  private long discarded;
  private boolean dropping; // its refusal has gone on: the rest of the request is dropped

  BodyLimits(int maxBodyBytes, BodyBudget budget, HttpCounters counters) {
    this.maxBodyBytes = maxBodyBytes;
    this.budget = budget;
    this.counters = counters;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      begin(ctx, request);
    } else if (msg instanceof HttpContent content) {
      try {
        if (!dropping) {
          append(ctx, content);
        }
      } finally {
        content.release();
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest request) {
    release();
    kept = 0;
    discarded = 0;
    refusal = null;
    dropping = request.decoderResult().isFailure();
    long declared = dropping ? -1 : HttpUtil.getContentLength(request, -1L);
    if (declared > maxBodyBytes) {
      if (HttpUtil.is100ContinueExpected(request)) {
        // The client waits for a word before it sends the body: refused now, and closed.
        request.setDecoderResult(DecoderResult.failure(tooLarge().closing()));
        dropping = true;
      } else {
        refusal = tooLarge();
      }
    }
    this.declared = declared >= 0;
    expected = this.declared ? declared : maxBodyBytes;
    ctx.fireChannelRead(request);
  }

  private void append(ChannelHandlerContext ctx, HttpContent content) {
    if (content.decoderResult().isFailure()) {
      refuseNow(ctx, ApiException.closing(HttpStatus.BAD_REQUEST, "malformed HTTP request body"));
      return;
    }
    ByteBuf bytes = content.content();
    int n = bytes.readableBytes();
    if (refusal == null && kept + n > maxBodyBytes) {
      refusal = tooLarge();
    } else if (refusal == null && !keep(bytes)) {
      counters.refusedBodies.increment();
      refusal =
          new ApiException(
              HttpStatus.UNAVAILABLE,
              "the server holds as many request bodies as it has memory for; try again",
              Map.of("Retry-After", "1"));
    }
    if (refusal != null) {
      release();
      discarded += n;
      if (discarded > DISCARD_MAX_BYTES) {
        refuseNow(ctx, refusal.closing());
        return;
      }
    }
    if (content instanceof LastHttpContent last) {
      if (refusal != null) {
        refuseNow(ctx, refusal);
        return;
      }
      LastHttpContent end = new DefaultLastHttpContent(takeBody());
      end.trailingHeaders().set(last.trailingHeaders());
      ctx.fireChannelRead(end);
    }
  }

  /**
   * Appends {@code bytes}, growing the body as a ByteBuf grows; false, appending nothing, if the
   * budget cannot pay for the room. The caller checked the size limit.
   */
  private boolean keep(ByteBuf bytes) {
    if (!bytes.isReadable()) {
      return true;
    }
    if (body == null) {
      body = Unpooled.buffer(initialCapacity(declared, expected), (int) expected);
    }
    int n = bytes.readableBytes();
    if (n > body.writableBytes()) {
      int capacity = body.alloc().calculateNewCapacity(body.writerIndex() + n, body.maxCapacity());
      long owed = BodyBudget.charge(capacity) - charged;
      if (!budget.tryTake(owed)) {
        return false;
      }
      charged += owed;
      body.capacity(capacity);
    }
    body.writeBytes(bytes);
    kept += n;
    return true;
  }

  /**
   * Room for the whole body at once when its declared length is within what every body is granted
   * without asking ({@link BodyBudget#FREE_BYTES}): a predict call's body is then one array of its
   * size, not 4 kB grown to 8 kB and copied (a third of what a request allocated, with G1 paying
   * for every byte). Larger or chunked bodies start small and grow as they arrive, so a client that
   * declares much and sends little holds little.
   */
  static int initialCapacity(boolean declared, long expected) {
    return (int)
        (declared && expected <= BodyBudget.FREE_BYTES
            ? expected
            : Math.min(INITIAL_BYTES, expected));
  }

  /** The body, to hand on: from here the aggregator holds it (it is still charged). */
  private ByteBuf takeBody() {
    ByteBuf whole = body != null ? body : Unpooled.EMPTY_BUFFER;
    body = null;
    return whole;
  }

  /** Ends the request with {@code answer} as its decoder result; the rest of it is dropped. */
  private void refuseNow(ChannelHandlerContext ctx, ApiException answer) {
    release();
    dropping = true;
    LastHttpContent end = new DefaultLastHttpContent();
    end.setDecoderResult(DecoderResult.failure(answer));
    ctx.fireChannelRead(end);
  }

  private ApiException tooLarge() {
    return new ApiException(
        HttpStatus.PAYLOAD_TOO_LARGE, "request body larger than " + maxBodyBytes + " bytes");
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse r && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      release(); // answered: the body is done with
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }

  /** What is kept of the body back to the heap, and its charge back to the budget. */
  private void release() {
    if (body != null) {
      body.release();
      body = null;
    }
    budget.giveBack(charged);
    charged = 0;
  }
}
