package dev.mnistcnn.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Run in its own small-heap JVM by {@link PredictorLeakTest}: predicts one image at a time and
 * prints the process's resident memory (kB) every {@code every} predictions.
 */
public final class LeakProbe {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    int total = Integer.parseInt(args[1]);
    int every = Integer.parseInt(args[2]);
    float[] image = new float[Predictor.IMAGE_SIZE];
    Random rng = new Random(1);
    for (int i = 0; i < image.length; i++) {
      image[i] = rng.nextFloat();
    }
    try (Predictor p = Predictor.open(model)) {
      for (int i = 1; i <= total; i++) {
        image[i % image.length] = rng.nextFloat();
        if (p.predict(image).probabilities().length != 10) {
          throw new IllegalStateException("bad output");
        }
        if (i % every == 0) {
          System.out.println("rss " + i + " " + residentKb());
        }
      }
    }
  }

  static long residentKb() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
