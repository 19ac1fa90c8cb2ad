package dev.mnistcnn.serve;

import dev.mnistcnn.inference.BatchingPredictor;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Endpoint;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpCounters;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import dev.mnistcnn.serve.models.TfServingMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What the server counts, shown at {@code GET /monitoring/prometheus/metrics} (TF Serving's path)
 * in Prometheus's text format: connections, requests, refusals, timeouts, out-of-memory answers
 * (the HTTP layer's {@link HttpCounters}), batches; then TF Serving's request count and latency
 * ({@link TfServingMetrics}), under TF Serving's names, for dashboards and alerts made for it.
 */
final class ServerMetrics implements Endpoint {
  static final String PATH = "/monitoring/prometheus/metrics";

  private final HttpCounters http;
  private final Supplier<BatchingPredictor.Stats> batches;
  private final TfServingMetrics tfServing;

  /** {@code batches}: the batcher's counts, all zero without batching. */
  ServerMetrics(
      HttpCounters http, Supplier<BatchingPredictor.Stats> batches, TfServingMetrics tfServing) {
    this.http = http;
    this.batches = batches;
    this.tfServing = tfServing;
  }

  @Override
  public CompletionStage<Response> handle(Request request) throws ApiException {
    Exchanges.requireMethod(request, "GET");
    BatchingPredictor.Stats b = batches.get();
    StringBuilder text = new StringBuilder();
    gauge(text, "mnist_open_connections", "Connections open now.", http.openConnections());
    gauge(
        text,
        "mnist_connections_reading_requests",
        "Connections whose request has begun and not yet fully arrived.",
        http.readingRequests());
    gauge(
        text,
        "mnist_requests_in_flight",
        "Requests being answered now, this one included.",
        http.requestsInFlight());
    counter(
        text,
        "mnist_admitted_requests_total",
        "Requests admitted since start, this one included.",
        http.requestsAdmitted());
    counter(
        text,
        "mnist_refused_connections_total",
        "Connections over the limit, answered 503.",
        http.refusedConnections());
    counter(
        text,
        "mnist_evicted_connections_total",
        "Connections waiting on their client, closed at the limit to make room for a new one.",
        http.evictedConnections());
    counter(
        text,
        "mnist_refused_bodies_total",
        "Request bodies answered 503 because the body memory budget was spent.",
        http.refusedBodies());
    counter(
        text,
        "mnist_timed_out_requests_total",
        "Requests whose headers or body came too slowly, answered 408.",
        http.timedOutRequests());
    counter(
        text,
        "mnist_out_of_memory_total",
        "Requests answered 503 for lack of memory.",
        http.outOfMemoryAnswers());
    counter(text, "mnist_batch_runs_total", "Session runs made by the batcher.", b.runs());
    counter(
        text, "mnist_batched_requests_total", "Predict requests through those runs.", b.requests());
    counter(text, "mnist_batched_images_total", "Images through those runs.", b.images());
    counter(
        text,
        "mnist_batch_padding_images_total",
        "Images added to pad runs to an allowed batch size (TF Serving's padding_size).",
        b.paddingImages());
    gauge(text, "mnist_largest_batch_requests", "Most requests in one run.", b.largestBatch());
    tfServing.writeTo(text);
    return Response.of(
            HttpStatus.OK,
            "text/plain; version=0.0.4; charset=utf-8",
            text.toString().getBytes(StandardCharsets.UTF_8))
        .now();
  }

  private static void counter(StringBuilder text, String name, String help, long value) {
    metric(text, name, help, "counter", value);
  }

  private static void gauge(StringBuilder text, String name, String help, long value) {
    metric(text, name, help, "gauge", value);
  }

  private static void metric(StringBuilder text, String name, String help, String type, long v) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    text.append(name).append(' ').append(v).append('\n');
  }
}
