package dev.mnistcnn.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import picocli.CommandLine.Option;

/**
 * The seed recipe as the JVM peers run it (a picocli mixin of its options plus the epoch loop):
 * shuffle each epoch as Keras does, train in mini-batches, validate on the test set (inside the
 * epoch's time), print Keras-style epoch lines and {@code CNN Error}, then, with {@code --json},
 * one line with the keys tools/reference/keras_seed.py prints. A peer supplies only its framework's
 * step and evaluation ({@link Peer}).
 */
public final class SeedRecipe {
  /** What a framework supplies to the loop. */
  public interface Peer {
    /** One optimizer step on {@code size} training images, {@code order[from..from+size)}. */
    void step(IdxImages train, int[] order, int from, int size);

    /** Test-set loss (cross-entropy) and accuracy, inference mode. */
    Score evaluate(IdxImages test);

    long params();

    /** Its leading JSON fields, e.g. {@code "framework": "djl", "backend": "pytorch 2.7.1"}. */
    String jsonFields();
  }

  public record Score(double loss, double accuracy) {}

  @Option(names = "--data", defaultValue = "mnist-data", description = "IDX folder.")
  Path data;

  @Option(names = "--epochs", defaultValue = "10")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "200")
  int batchSize;

  @Option(names = "--limit", defaultValue = "0", description = "First N training images only.")
  int limit;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--json", description = "Print a final JSON line with the results.")
  boolean json;

  public int batchSize() {
    return batchSize;
  }

  public long seed() {
    return seed;
  }

  /** Refuses options no run can use. */
  public void requireValid() {
    if (epochs < 1 || batchSize < 1 || limit < 0) {
      throw new IllegalArgumentException(
          "--epochs and --batch-size must be positive, --limit >= 0");
    }
  }

  public IdxImages trainImages() throws IOException {
    return IdxImages.read(data, "train", limit);
  }

  public IdxImages testImages() throws IOException {
    return IdxImages.read(data, "t10k", 0);
  }

  /** The recipe's epochs with {@code peer}; 0, the command's exit status. */
  public int run(Peer peer, IdxImages train, IdxImages test) {
    Random random = new Random(seed);
    List<Double> seconds = new ArrayList<>();
    Score score = null;
    long t0 = System.nanoTime();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      int[] order = shuffled(train.count(), random);
      for (int from = 0; from < train.count(); from += batchSize) {
        peer.step(train, order, from, Math.min(batchSize, train.count() - from));
      }
      long trained = System.nanoTime();
      score = peer.evaluate(test);
      double s = (System.nanoTime() - start) / 1e9;
      seconds.add(s);
      System.out.printf(
          Locale.ROOT,
          "Epoch %d/%d - %.1fs (validation %.1fs) - val_loss: %.4f - val_accuracy: %.4f%n",
          epoch,
          epochs,
          s,
          (System.nanoTime() - trained) / 1e9,
          score.loss(),
          score.accuracy());
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "CNN Error: %.2f%%%n", 100 * (1 - score.accuracy()));
    if (json) {
      System.out.println(
          resultJson(peer, train.count(), test.count(), score, seconds, trainSeconds));
    }
    return 0;
  }

  /** A permutation of 0..n-1 (Fisher-Yates), as Keras shuffles each epoch. */
  static int[] shuffled(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private String resultJson(
      Peer peer,
      int trainCount,
      int testCount,
      Score score,
      List<Double> seconds,
      double trainSeconds) {
    StringBuilder epochSeconds = new StringBuilder();
    for (double s : seconds) {
      epochSeconds
          .append(epochSeconds.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.3f", s));
    }
    return String.format(
        Locale.ROOT,
        "{%s, \"train_samples\": %d, \"test_samples\": %d, \"epochs\": %d, \"batch_size\": %d,"
            + " \"seed\": %d, \"params\": %d, \"test_loss\": %.6f, \"test_accuracy\": %.6f,"
            + " \"epoch_seconds\": [%s], \"train_seconds\": %.3f}",
        peer.jsonFields(),
        trainCount,
        testCount,
        epochs,
        batchSize,
        seed,
        peer.params(),
        score.loss(),
        score.accuracy(),
        epochSeconds,
        trainSeconds);
  }
}
