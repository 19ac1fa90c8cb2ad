package dev.mnistcnn.bench.dl4j;

import dev.mnistcnn.bench.IdxImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the seed recipe in Deeplearning4j and prints Keras-style epoch lines, then one JSON line
 * with the same keys tools/reference/keras_seed.py prints (epoch_seconds, test_accuracy, params,
 * ...).
 */
@Command(
    name = "bench-dl4j",
    mixinStandardHelpOptions = true,
    description =
        "The seed MNIST CNN trained in Deeplearning4j (batch 200, Adam, validation on"
            + " the test set each epoch, included in the epoch time).")
public final class Dl4jSeedCnn implements Callable<Integer> {
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

  @Option(
      names = "--format",
      defaultValue = "NHWC",
      description =
          "Activation layout: NHWC (default: the faster here, 22-29 s against 38-40 s"
              + " per 2,000-image epoch with validation) or NCHW (DL4J's own default).")
  CNN2DFormat format;

  @Option(names = "--json", description = "Print a final JSON line with the results.")
  boolean json;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Dl4jSeedCnn()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (epochs < 1 || batchSize < 1 || limit < 0) {
      throw new IllegalArgumentException(
          "--epochs and --batch-size must be positive, --limit >= 0");
    }
    IdxImages train = IdxImages.read(data, "train", limit);
    IdxImages test = IdxImages.read(data, "t10k", 0);
    MultiLayerNetwork net = SeedCnn.build(seed, format);
    Batches batches = new Batches(format, batchSize);
    java.util.Random random = new java.util.Random(seed);
    List<Double> seconds = new ArrayList<>();
    Batches.Score score = null;
    long t0 = System.nanoTime();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      int[] order = Batches.shuffled(train.count(), random);
      for (int from = 0; from < train.count(); from += batchSize) {
        net.fit(batches.of(train, order, from));
      }
      long trained = System.nanoTime();
      score = batches.evaluate(net, test);
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
          resultJson(train.count(), test.count(), net, score, seconds, trainSeconds));
    }
    return 0;
  }

  private String resultJson(
      int trainCount,
      int testCount,
      MultiLayerNetwork net,
      Batches.Score score,
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
        "{\"framework\": \"deeplearning4j\", \"backend\": \"%s\", \"format\": \"%s\","
            + " \"train_samples\": %d, \"test_samples\": %d, \"epochs\": %d, \"batch_size\": %d,"
            + " \"seed\": %d, \"params\": %d, \"test_loss\": %.6f, \"test_accuracy\": %.6f,"
            + " \"epoch_seconds\": [%s], \"train_seconds\": %.3f}",
        Nd4j.getBackend().getClass().getSimpleName(),
        format,
        trainCount,
        testCount,
        epochs,
        batchSize,
        seed,
        net.numParams(),
        score.loss(),
        score.accuracy(),
        epochSeconds,
        trainSeconds);
  }
}
