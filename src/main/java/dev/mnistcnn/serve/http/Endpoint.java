package dev.mnistcnn.serve.http;

import java.util.concurrent.CompletionStage;

/**
 * Answers one kind of request, on a thread of the request pool; refusals are thrown as {@link
 * ApiException} and sent as JSON. The answer may complete later, on another thread (a batched
 * prediction).
 */
@FunctionalInterface
public interface Endpoint {
  CompletionStage<Response> handle(Request request) throws ApiException;
}
