package dev.mnistcnn.serve.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator after {@link BodyLimits}, which decides about the body: this one makes the
 * request and its body one FullHttpRequest and answers {@code Expect: 100-continue}.
 */
final class BodyAggregator extends HttpObjectAggregator {
  BodyAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
  }

  /** Never at once: BodyLimits reads a body declared too large away before its 413. */
  @Override
  protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
    return false;
  }

  /**
   * 100 Continue for a request BodyLimits let through (one too large got its JSON 413 there, not
   * the stock empty one); other expectations are ignored, as they always were here, not 417.
   */
  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    return start.decoderResult().isSuccess() && HttpUtil.is100ContinueExpected(start)
        ? super.newContinueResponse(start, maxContentLength, pipeline)
        : null;
  }
}
