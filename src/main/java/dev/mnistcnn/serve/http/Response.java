package dev.mnistcnn.serve.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An answer: status, Content-Type, body and any further headers. */
@SuppressWarnings("ArrayRecordComponent") // the body to write, never compared
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static Response of(int status, String contentType, byte[] body) {
    return new Response(status, contentType, body, Map.of());
  }

  /** This answer with one more header. */
  public Response with(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, Map.copyOf(more));
  }

  /** This answer, already complete, for endpoints that answer on the calling thread. */
  public CompletionStage<Response> now() {
    return CompletableFuture.completedFuture(this);
  }

  /**
   * As Netty writes it, keeping the connection alive unless this answer closes it ({@code
   * HttpServerKeepAliveHandler} closes it too where the request asked). To HEAD: no body, but the
   * Content-Length that GET would have.
   */
  FullHttpResponse toHttp(boolean head) {
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    for (Map.Entry<String, String> h : headers.entrySet()) {
      out.headers().set(h.getKey(), h.getValue());
    }
    out.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set("X-Content-Type-Options", "nosniff")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(
            HttpHeaderNames.CONNECTION,
            "close".equals(headers.get("Connection"))
                ? HttpHeaderValues.CLOSE
                : HttpHeaderValues.KEEP_ALIVE);
    return out;
  }
}
