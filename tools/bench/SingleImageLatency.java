import dev.mnistcnn.inference.Predictor;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Single-image latency of the shipped model through {@code Predictor.predict}, the path {@code
 * predict} and {@code serve} take for one image: p50, p90, p99 and mean of N calls after a warm-up.
 * Run it alternately with {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} (the jar's default: a one-thread
 * session for single images) and {@code =0} (one intra-op pool for the process):
 *
 * <pre>
 * for r in 1 2 3; do for pools in 1 0; do TF_OVERRIDE_GLOBAL_THREADPOOL=$pools \
 *   TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1 java -cp "target/mnist-cnn.jar:target/lib/*" \
 *   tools/bench/SingleImageLatency.java 4000; done; done
 * </pre>
 */
public class SingleImageLatency {
  public static void main(String[] a) throws Exception {
    int calls = Integer.parseInt(a[0]);
    float[] img = new float[784];
    for (int i = 0; i < img.length; i++) img[i] = (i % 9) / 9f;
    try (Predictor p = Predictor.open(Path.of("saved_model"))) {
      for (int i = 0; i < 300; i++) p.predict(img);
      double[] t = new double[calls];
      long cpu0 =
          java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      for (int i = 0; i < calls; i++) {
        long t0 = System.nanoTime();
        p.predict(img);
        t[i] = (System.nanoTime() - t0) / 1e3;
      }
      double mean = Arrays.stream(t).average().orElse(0);
      Arrays.sort(t);
      System.out.printf(
          "lane=%s p50 %.0f p90 %.0f p99 %.0f mean %.0f us%n",
          p.hasOneThreadLane(), t[calls / 2], t[calls * 9 / 10], t[calls * 99 / 100], mean);
    }
  }
}
