package dev.mnistcnn.serve.http;

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
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, Map.copyOf(more));
  }

  /** This answer, already complete, for endpoints that answer on the calling thread. */
  public CompletionStage<Response> now() {
    return CompletableFuture.completedFuture(this);
  }
}
