package dev.mnistcnn.serve.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TF Serving's request metrics as the page lines they become. */
@Tag(Tier.FAST)
class TfServingMetricsTest {
  private static final long MICROS = 1000;

  private static String page(TfServingMetrics metrics) {
    StringBuilder text = new StringBuilder();
    metrics.writeTo(text);
    return text.toString();
  }

  private static List<String> lines(TfServingMetrics metrics, String prefix) {
    return page(metrics).lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void countsEveryOutcomeAndTimesOnlyTheOkOnes() {
    TfServingMetrics metrics = new TfServingMetrics();
    metrics.record("mnist", "Predict", "GRPC", "OK", 250 * MICROS);
    metrics.record("mnist", "Predict", "REST", "OK", 5 * MICROS);
    metrics.record("mnist", "Predict", "REST", "INVALID_ARGUMENT", 7 * MICROS);
    metrics.record("mnist", "GetModelStatus", "REST", "OK", 10 * MICROS);

    assertEquals(
        List.of(
            ":tensorflow:serving:request_count{model_name=\"mnist\",status=\"INVALID_ARGUMENT\"} 1",
            ":tensorflow:serving:request_count{model_name=\"mnist\",status=\"OK\"} 3"),
        lines(metrics, ":tensorflow:serving:request_count{"));
    assertEquals(
        List.of(
            ":tensorflow:serving:request_latency_count{model_name=\"mnist\",API=\"\","
                + "entrypoint=\"REST\"} 1",
            ":tensorflow:serving:request_latency_count{model_name=\"mnist\",API=\"Predict\","
                + "entrypoint=\"GRPC\"} 1",
            ":tensorflow:serving:request_latency_count{model_name=\"mnist\",API=\"predict\","
                + "entrypoint=\"REST\"} 1"),
        lines(metrics, ":tensorflow:serving:request_latency_count"));
    assertTrue(
        page(metrics)
            .contains(
                ":tensorflow:serving:request_latency_sum{model_name=\"mnist\",API=\"Predict\","
                    + "entrypoint=\"GRPC\"} 250\n"),
        page(metrics));
  }

  @Test
  void aBucketHoldsValuesUpToItsBound() {
    TfServingMetrics metrics = new TfServingMetrics();
    metrics.record("m", "Predict", "GRPC", "OK", 10 * MICROS);
    metrics.record("m", "Predict", "GRPC", "OK", 10 * MICROS + 999); // whole microseconds
    metrics.record("m", "Predict", "GRPC", "OK", 11 * MICROS);
    List<String> buckets = lines(metrics, ":tensorflow:serving:request_latency_bucket");
    assertEquals(34, buckets.size());
    assertTrue(buckets.get(0).endsWith(",le=\"10\"} 2"), buckets.get(0));
    assertTrue(buckets.get(1).endsWith(",le=\"18\"} 3"), buckets.get(1));
    assertTrue(buckets.get(33).endsWith(",le=\"+Inf\"} 3"), buckets.get(33));
  }

  @Test
  void boundsAreWrittenAsTfServingWritesThem() {
    assertEquals("10", TfServingMetrics.sixDigits(TfServingMetrics.BUCKET_LIMITS[0]));
    assertEquals("32.4", TfServingMetrics.sixDigits(TfServingMetrics.BUCKET_LIMITS[2]));
    assertEquals("708235", TfServingMetrics.sixDigits(TfServingMetrics.BUCKET_LIMITS[19]));
    assertEquals("1.27482e+06", TfServingMetrics.sixDigits(TfServingMetrics.BUCKET_LIMITS[20]));
    assertEquals("1.47476e+09", TfServingMetrics.sixDigits(TfServingMetrics.BUCKET_LIMITS[32]));
    assertEquals(33, TfServingMetrics.BUCKET_LIMITS.length);
  }

  @Test
  void grpcStatusAndMetadataAreNotCountedAsInTfServing() {
    TfServingMetrics metrics = new TfServingMetrics();
    metrics.record("mnist", "GetModelStatus", "GRPC", "OK", MICROS);
    metrics.record("mnist", "GetModelMetadata", "GRPC", "NOT_FOUND", MICROS);
    assertEquals(List.of(), lines(metrics, ":tensorflow:serving:request_count{"));
  }

  @Test
  void labelsOutsideTfServingsSetsAreRefused() {
    TfServingMetrics metrics = new TfServingMetrics();
    assertThrows(
        IllegalArgumentException.class, () -> metrics.record("m", "predict", "REST", "OK", 1));
    assertThrows(
        IllegalArgumentException.class, () -> metrics.record("m", "Predict", "HTTP", "OK", 1));
    assertThrows(
        IllegalArgumentException.class, () -> metrics.record("m", "Predict", "REST", "404", 1));
  }

  @Test
  void modelNamesFromRequestsAreBoundedAndEscaped() {
    TfServingMetrics metrics = new TfServingMetrics();
    for (int i = 0; i < TfServingMetrics.MAX_MODEL_NAMES + 10; i++) {
      metrics.record("m" + i, "Predict", "REST", "NOT_FOUND", 1);
    }
    metrics.record("x".repeat(65), "Predict", "REST", "NOT_FOUND", 1);
    metrics.record("a\"b\\c\nd", "Predict", "REST", "NOT_FOUND", 1);
    List<String> counts = lines(metrics, ":tensorflow:serving:request_count{");
    assertEquals(TfServingMetrics.MAX_MODEL_NAMES + 1, counts.size(), String.join("\n", counts));
    assertTrue(
        counts.contains(
            ":tensorflow:serving:request_count{model_name=\"(other)\",status=\"NOT_FOUND\"} 12"),
        String.join("\n", counts));
    assertFalse(page(metrics).contains("xxxxxxxx"));

    TfServingMetrics fresh = new TfServingMetrics();
    fresh.record("a\"b\\c\nd", "Predict", "REST", "NOT_FOUND", 1);
    assertTrue(
        page(fresh).contains("{model_name=\"a\\\"b\\\\c\\nd\",status=\"NOT_FOUND\"} 1\n"),
        page(fresh));
  }

  @Test
  void concurrentRequestsAreAllCounted() throws Exception {
    TfServingMetrics metrics = new TfServingMetrics();
    int threads = 8;
    int each = 5000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String model = "m" + (t % 2);
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    metrics.record(model, "Predict", "GRPC", "OK", i * MICROS);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    long perModel = (long) threads / 2 * each;
    assertEquals(
        List.of(
            ":tensorflow:serving:request_count{model_name=\"m0\",status=\"OK\"} " + perModel,
            ":tensorflow:serving:request_count{model_name=\"m1\",status=\"OK\"} " + perModel),
        lines(metrics, ":tensorflow:serving:request_count{"));
    long sum = (long) threads / 2 * ((long) each * (each - 1) / 2);
    assertTrue(
        page(metrics)
            .contains(
                ":tensorflow:serving:request_latency_sum{model_name=\"m0\",API=\"Predict\","
                    + "entrypoint=\"GRPC\"} "
                    + sum
                    + "\n"),
        page(metrics));
  }
}
