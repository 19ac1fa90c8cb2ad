package dev.mnistcnn.serve.models;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * TF Serving's two request metrics, as its Prometheus page shows them ({@code
 * tensorflow_serving/servables/tensorflow/util.cc} and {@code util/prometheus_exporter.cc}):
 *
 * <ul>
 *   <li>{@code :tensorflow:serving:request_count{model_name,status}}, a counter of every request TF
 *       Serving counts: all REST model requests, gRPC Predict, Classify and Regress;
 *   <li>{@code :tensorflow:serving:request_latency{model_name,API,entrypoint}}, a histogram in
 *       microseconds of the OK ones only, with TF Serving's buckets (10 µs times 1.8^i, 33 of them,
 *       up to ~20 minutes, then +Inf) written as TF Serving writes them ("32.4", "1.27482e+06").
 * </ul>
 *
 * <p>The API label is TF Serving's: over gRPC the RPC's name ("Predict"); over REST the verb of the
 * URL, lower case ("predict", "classify"), and empty for status and metadata (a GET has none).
 * gRPC's GetModelMetadata and GetModelStatus are not counted, as in TF Serving.
 *
 * <p>Thread-safe: a request adds to {@link LongAdder}s; rendering reads them without a lock, so a
 * page taken during requests may count a request in {@code request_count} and not yet in the
 * histogram, but each histogram is consistent in itself ({@code _count} is its {@code +Inf}
 * bucket). Label sets are bounded: model names come from request paths, so past {@link
 * #MAX_MODEL_NAMES} distinct names (or a name longer than a served one can be) requests are counted
 * under {@link #OTHER_MODELS}.
 */
public final class TfServingMetrics implements RequestMetrics {
  public static final String REQUEST_COUNT = ":tensorflow:serving:request_count";
  public static final String REQUEST_LATENCY = ":tensorflow:serving:request_latency";

  /** Distinct model names kept as labels; later ones share {@link #OTHER_MODELS}. */
  public static final int MAX_MODEL_NAMES = 64;

  /** The model_name of requests past the name limit; no served model is named so. */
  public static final String OTHER_MODELS = "(other)";

  private static final int MAX_NAME_LENGTH = 64;

  /** TF Serving's {@code Buckets::Exponential(10, 1.8, 33)}: each bucket's upper bound, in µs. */
  static final double[] BUCKET_LIMITS = exponentialBuckets(10, 1.8, 33);

  private static final List<String> APIS =
      List.of("Predict", "Classify", "Regress", "GetModelMetadata", "GetModelStatus");
  private static final Set<String> ENTRYPOINTS = Set.of("REST", "GRPC");

  /** The canonical gRPC status codes, by name. */
  private static final Set<String> CODES =
      Set.of(
          "OK",
          "CANCELLED",
          "UNKNOWN",
          "INVALID_ARGUMENT",
          "DEADLINE_EXCEEDED",
          "NOT_FOUND",
          "ALREADY_EXISTS",
          "PERMISSION_DENIED",
          "RESOURCE_EXHAUSTED",
          "FAILED_PRECONDITION",
          "ABORTED",
          "OUT_OF_RANGE",
          "UNIMPLEMENTED",
          "INTERNAL",
          "UNAVAILABLE",
          "DATA_LOSS",
          "UNAUTHENTICATED");

  private record CountKey(String model, String status) {}

  private record LatencyKey(String model, String api, String entrypoint) {}

  private static final Comparator<CountKey> BY_COUNT_LABELS =
      Comparator.comparing(CountKey::model).thenComparing(CountKey::status);
  private static final Comparator<LatencyKey> BY_LATENCY_LABELS =
      Comparator.comparing(LatencyKey::model)
          .thenComparing(LatencyKey::api)
          .thenComparing(LatencyKey::entrypoint);

  private final Set<String> modelNames = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<CountKey, LongAdder> counts = new ConcurrentHashMap<>();
  private final ConcurrentMap<LatencyKey, Histogram> latencies = new ConcurrentHashMap<>();

  /**
   * Counts one answered request.
   *
   * @throws IllegalArgumentException an API, entrypoint or status outside TF Serving's sets
   */
  @Override
  public void record(String model, String api, String entrypoint, String status, long nanos) {
    if (!APIS.contains(api) || !ENTRYPOINTS.contains(entrypoint) || !CODES.contains(status)) {
      throw new IllegalArgumentException(
          "not a TF Serving API, entrypoint and status: "
              + api
              + ", "
              + entrypoint
              + ", "
              + status);
    }
    boolean grpc = entrypoint.equals("GRPC");
    if (grpc && api.startsWith("GetModel")) {
      return;
    }
    String name = bounded(model);
    counts.computeIfAbsent(new CountKey(name, status), k -> new LongAdder()).increment();
    if (status.equals("OK")) {
      String apiLabel = grpc ? api : restVerb(api);
      latencies
          .computeIfAbsent(new LatencyKey(name, apiLabel, entrypoint), k -> new Histogram())
          .observe(Math.max(0, nanos) / 1000);
    }
  }

  private String bounded(String model) {
    if (model.length() > MAX_NAME_LENGTH) {
      return OTHER_MODELS;
    }
    if (modelNames.contains(model)) {
      return model;
    }
    synchronized (modelNames) {
      if (modelNames.size() >= MAX_MODEL_NAMES) {
        return OTHER_MODELS;
      }
      modelNames.add(model);
      return model;
    }
  }

  /** The {@code :verb} of TF Serving's REST URL; status and metadata are GETs without one. */
  private static String restVerb(String api) {
    return api.startsWith("GetModel") ? "" : api.toLowerCase(Locale.ROOT);
  }

  /** Both metrics in Prometheus's text format 0.0.4, series in label order. */
  public void writeTo(StringBuilder text) {
    // TF Serving's descriptions
    header(text, REQUEST_COUNT, "The total number of requests.", "counter");
    counts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(BY_COUNT_LABELS))
        .forEach(
            e ->
                text.append(REQUEST_COUNT)
                    .append(labels("model_name", e.getKey().model(), "status", e.getKey().status()))
                    .append(' ')
                    .append(e.getValue().sum())
                    .append('\n'));
    header(
        text,
        REQUEST_LATENCY,
        "Distribution of wall time (in microseconds) for Tensorflow Serving request.",
        "histogram");
    latencies.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(BY_LATENCY_LABELS))
        .forEach(e -> writeHistogram(text, e.getKey(), e.getValue()));
  }

  private static void writeHistogram(StringBuilder text, LatencyKey key, Histogram h) {
    String series =
        labels("model_name", key.model(), "API", key.api(), "entrypoint", key.entrypoint());
    String bucketLabels = series.substring(0, series.length() - 1) + ",le=\"";
    long cumulative = 0;
    for (int i = 0; i <= BUCKET_LIMITS.length; i++) {
      cumulative += h.buckets[i].sum();
      String le = i < BUCKET_LIMITS.length ? sixDigits(BUCKET_LIMITS[i]) : "+Inf";
      text.append(REQUEST_LATENCY)
          .append("_bucket")
          .append(bucketLabels)
          .append(le)
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    text.append(REQUEST_LATENCY).append("_sum").append(series).append(' ');
    text.append(h.sumMicros.sum()).append('\n');
    text.append(REQUEST_LATENCY).append("_count").append(series).append(' ');
    text.append(cumulative).append('\n');
  }

  private static void header(StringBuilder text, String name, String help, String type) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** {@code {a="1",b="2"}} from names and values, the values escaped as the format requires. */
  private static String labels(String... namesAndValues) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (i > 0) {
        out.append(',');
      }
      out.append(namesAndValues[i]).append("=\"");
      for (char c : namesAndValues[i + 1].toCharArray()) {
        switch (c) {
          case '\\' -> out.append("\\\\");
          case '"' -> out.append("\\\"");
          case '\n' -> out.append("\\n");
          default -> out.append(c);
        }
      }
      out.append('"');
    }
    return out.append('}').toString();
  }

  /**
   * A bound as TF Serving writes it ({@code absl::StrCat} of a double, i.e. C's {@code %.6g}):
   * "10", "32.4", "708235", "1.27482e+06". Queries select buckets by this text ({@code le="..."}).
   */
  static String sixDigits(double v) {
    String g = String.format(Locale.ROOT, "%.6g", v);
    int e = g.indexOf('e');
    String mantissa = e < 0 ? g : g.substring(0, e);
    String exponent = e < 0 ? "" : g.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exponent;
  }

  /** As TF's {@code ExponentialBuckets}: scale, then each bound the last times growth. */
  private static double[] exponentialBuckets(double scale, double growth, int count) {
    double[] limits = new double[count];
    double bound = scale;
    for (int i = 0; i < count; i++) {
      limits[i] = bound;
      bound *= growth;
    }
    return limits;
  }

  /**
   * One series' buckets: {@code buckets[i]} counts values in (limit[i-1], limit[i]]; last: +Inf.
   */
  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[BUCKET_LIMITS.length + 1];
    final LongAdder sumMicros = new LongAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(long micros) {
      int i = 0;
      while (i < BUCKET_LIMITS.length && micros > BUCKET_LIMITS[i]) {
        i++;
      }
      buckets[i].increment();
      sumMicros.add(micros);
    }
  }
}
