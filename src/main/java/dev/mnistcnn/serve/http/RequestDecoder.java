package dev.mnistcnn.serve.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, but a request with both {@code Content-Length} and {@code
 * Transfer-Encoding} fails to decode (Netty would drop the length and read chunks): the two may
 * frame the body differently for a proxy in front, the ground of request smuggling, so RFC 9112
 * section 6.1 lets a server reject it, and {@link RequestFraming} answers 400 and closes.
 */
final class RequestDecoder extends HttpRequestDecoder {
  /** The decode failure of such a request. */
  static final class AmbiguousLengthException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    AmbiguousLengthException() {
      super("Content-Length together with Transfer-Encoding");
    }
  }

  RequestDecoder(int maxRequestLine, int maxHeaderBytes, int maxChunkBytes) {
    super(
        new HttpDecoderConfig()
            .setMaxInitialLineLength(maxRequestLine)
            .setMaxHeaderSize(maxHeaderBytes)
            .setMaxChunkSize(maxChunkBytes));
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new AmbiguousLengthException();
  }
}
