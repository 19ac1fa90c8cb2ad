package dev.mnistcnn.serve.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * What a request's line and headers must be, judged before its body is read (RFC 9112): HTTP/1.x
 * only (505 otherwise); a length and a transfer coding together (which HTTP/1.0 requests still
 * carry past the decoder) or an HTTP/1.1 request without exactly one Host header is 400; what the
 * decoder could not read is 414 (request line), 431 (headers) or 400. Such a request carries its
 * refusal on as its decoder result, to be answered, and the connection closed.
 */
@Sharable
final class RequestFraming extends ChannelInboundHandlerAdapter {
  private static final String AMBIGUOUS_LENGTH =
      "Content-Length together with Transfer-Encoding is not accepted (RFC 9112 section 6.1)";

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      ApiException refusal = refusal(request);
      if (refusal != null) {
        request.setDecoderResult(DecoderResult.failure(refusal));
      }
    }
    ctx.fireChannelRead(msg);
  }

  private static ApiException refusal(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      return unreadable(result.cause());
    }
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1) {
      return ApiException.closing(
          HttpStatus.VERSION_NOT_SUPPORTED,
          "HTTP version " + Exchanges.clip(version.text()) + " not supported; use HTTP/1.1");
    }
    HttpHeaders headers = request.headers();
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
        && headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return ApiException.closing(HttpStatus.BAD_REQUEST, AMBIGUOUS_LENGTH);
    }
    if (version.minorVersion() >= 1 && headers.getAll(HttpHeaderNames.HOST).size() != 1) {
      return ApiException.closing(
          HttpStatus.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header");
    }
    return null;
  }

  private static ApiException unreadable(Throwable cause) {
    if (cause instanceof RequestDecoder.AmbiguousLengthException) {
      return ApiException.closing(HttpStatus.BAD_REQUEST, AMBIGUOUS_LENGTH);
    }
    if (cause instanceof TooLongHttpLineException) {
      return ApiException.closing(
          HttpStatus.URI_TOO_LONG, "request line longer than the server accepts");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return ApiException.closing(
          HttpStatus.HEADERS_TOO_LARGE, "request headers larger than the server accepts");
    }
    return ApiException.closing(HttpStatus.BAD_REQUEST, "malformed HTTP request");
  }
}
