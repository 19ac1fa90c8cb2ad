package dev.mnistcnn.serve;

import java.util.concurrent.CompletionStage;

/**
 * Answers one kind of request; refusals are thrown as {@link ApiException} and sent as JSON. The
 * answer may complete later, on another thread (a batched prediction).
 */
@FunctionalInterface
interface Endpoint {
  CompletionStage<Response> handle(Request request) throws ApiException;
}
