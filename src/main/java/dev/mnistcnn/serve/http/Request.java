package dev.mnistcnn.serve.http;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * One complete HTTP request, body read within the limits.
 *
 * @param method as sent, e.g. {@code POST}; {@code HEAD} is answered as {@code GET} without body
 * @param path the URI's path, percent-decoded, without the query
 */
@SuppressWarnings("ArrayRecordComponent") // the body as read, never compared
public record Request(String method, String path, HttpHeaders headers, byte[] body) {
  public String header(String name) {
    return headers.get(name);
  }
}
