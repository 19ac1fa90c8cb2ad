import dev.mnistcnn.inference.Predictor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Random;

/**
 * What a batch thread pays per image for the batch sizes it may run: the shipped model (or the
 * SavedModel given) through {@code Predictor.probabilitiesOnOneThread}, the call a batch makes,
 * over alternating rounds of runs of a fixed size (12, 16), of sizes varying from run to run (4-20,
 * 1-32: what `serve --enable-batching` forms under load) and padded to an allowed size (12 images
 * run as 16; each size rounded up to a power of two), as TF Serving's {@code allowed_batch_sizes}
 * pads. Microseconds of the run per image the callers asked for, wall clock and this thread's CPU
 * time (which stays meaningful when other load shares the core, e.g. under {@code taskset -c 0}
 * beside a loaded server):
 *
 * <pre>
 * TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1 TF_OVERRIDE_GLOBAL_THREADPOOL=1 \
 *   TF_ONEDNN_ASSUME_FROZEN_WEIGHTS=1 java -cp "target/mnist-cnn.jar:target/lib/*" \
 *   tools/bench/BatchSizes.java [saved_model] [rounds]
 * </pre>
 */
public class BatchSizes {
  private static final String[] MODES = {
    "fixed 12", "fixed 16", "12 padded to 16", "varying 4-20", "varying 1-32", "1-32 padded to 2^k"
  };

  public static void main(String[] a) throws Exception {
    Path model = Path.of(a.length > 0 ? a[0] : "saved_model");
    int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 4;
    Random random = new Random(7);
    float[] pixels = new float[64 * 784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Predictor predictor = Predictor.open(model)) {
      for (int r = 0; r < rounds; r++) {
        for (String mode : MODES) {
          long asked = 0;
          int runs = 1500;
          long start = System.nanoTime();
          long cpuStart = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < runs; i++) {
            int n =
                switch (mode) {
                  case "fixed 12", "12 padded to 16" -> 12;
                  case "fixed 16" -> 16;
                  case "varying 4-20" -> 4 + random.nextInt(17);
                  default -> 1 + random.nextInt(32);
                };
            int size =
                switch (mode) {
                  case "12 padded to 16" -> 16;
                  case "1-32 padded to 2^k" -> Integer.highestOneBit(2 * n - 1);
                  default -> n;
                };
            float[] images = new float[size * 784];
            System.arraycopy(pixels, 0, images, 0, images.length);
            predictor.probabilitiesOnOneThread(images, size);
            asked += n;
          }
          double micros = (System.nanoTime() - start) / 1e3;
          double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3;
          System.out.printf(
              "round %d  %-20s %6.1f us per image asked (%6.1f of CPU), %6.0f us per run%n",
              r, mode, micros / asked, cpuMicros / asked, micros / runs);
        }
      }
    }
  }
}
