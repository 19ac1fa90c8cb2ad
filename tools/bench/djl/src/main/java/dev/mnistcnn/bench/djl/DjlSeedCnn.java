package dev.mnistcnn.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.mnistcnn.bench.IdxImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the seed recipe in DJL on its PyTorch engine and prints Keras-style epoch lines, then one
 * JSON line with the same keys tools/reference/keras_seed.py prints (epoch_seconds, test_accuracy,
 * ...).
 */
@Command(
    name = "bench-djl",
    mixinStandardHelpOptions = true,
    description =
        "The seed MNIST CNN trained in DJL with the PyTorch engine (batch 200, Adam, validation"
            + " on the test set each epoch, included in the epoch time).")
public final class DjlSeedCnn implements Callable<Integer> {
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
      names = "--threads",
      defaultValue = "2",
      description = "libtorch intra-op threads (inter-op: 1).")
  int threads;

  @Option(names = "--json", description = "Print a final JSON line with the results.")
  boolean json;

  private record Score(double loss, double accuracy) {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new DjlSeedCnn());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (epochs < 1 || batchSize < 1 || limit < 0 || threads < 1) {
      throw new IllegalArgumentException(
          "--epochs, --batch-size and --threads must be positive, --limit >= 0");
    }
    // Read by the PyTorch engine when it loads, so set before the first Engine call.
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    IdxImages train = IdxImages.read(data, "train", limit);
    IdxImages test = IdxImages.read(data, "t10k", 0);
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) seed);
    try (Model model = Model.newInstance("seed-cnn", "PyTorch")) {
      model.setBlock(SeedCnn.build());
      // Keras's Adam: lr 1e-3, betas 0.9/0.999, epsilon 1e-7 (DJL's default epsilon is 1e-8).
      Optimizer adam =
          Optimizer.adam()
              .optLearningRateTracker(Tracker.fixed(1e-3f))
              .optBeta1(0.9f)
              .optBeta2(0.999f)
              .optEpsilon(1e-7f)
              .build();
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batchSize, 1, 28, 28));
        long params = countParams(model);
        if (params != SeedCnn.PARAMS) {
          throw new IllegalStateException(
              "the DJL network has " + params + " parameters, the seed CNN " + SeedCnn.PARAMS);
        }
        return train(trainer, train, test, params, engine.getVersion());
      }
    }
  }

  private int train(Trainer trainer, IdxImages train, IdxImages test, long params, String version) {
    Random random = new Random(seed);
    List<Double> seconds = new ArrayList<>();
    Score score = null;
    long t0 = System.nanoTime();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      int[] order = shuffled(train.count(), random);
      for (int from = 0; from < train.count(); from += batchSize) {
        step(trainer, train, order, from);
      }
      long trained = System.nanoTime();
      score = evaluate(trainer, test);
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
          resultJson(train.count(), test.count(), params, version, score, seconds, trainSeconds));
    }
    return 0;
  }

  /** One Adam step on one mini-batch; its arrays live in a sub-manager closed right after. */
  private void step(Trainer trainer, IdxImages train, int[] order, int from) {
    int size = Math.min(batchSize, train.count() - from);
    float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
    long[] labels = new long[size];
    for (int i = 0; i < size; i++) {
      int index = order[from + i];
      copyPixels(train, index, pixels, i);
      labels[i] = train.labels()[index];
    }
    try (NDManager batch = trainer.getManager().newSubManager()) {
      NDArray x = batch.create(pixels, new Shape(size, 1, 28, 28));
      NDArray y = batch.create(labels, new Shape(size));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList logits = trainer.forward(new NDList(x));
        collector.backward(trainer.getLoss().evaluate(new NDList(y), logits));
      }
      trainer.step();
    }
  }

  /**
   * Test-set loss (cross-entropy) and accuracy, inference mode, in batches of the training batch
   * size as Keras validates (batches of 1,000 were slower here).
   */
  private Score evaluate(Trainer trainer, IdxImages test) {
    double loss = 0;
    long correct = 0;
    for (int from = 0; from < test.count(); from += batchSize) {
      int size = Math.min(batchSize, test.count() - from);
      float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
      for (int i = 0; i < size; i++) {
        copyPixels(test, from + i, pixels, i);
      }
      float[] logProbs;
      try (NDManager batch = trainer.getManager().newSubManager()) {
        NDArray x = batch.create(pixels, new Shape(size, 1, 28, 28));
        logProbs = trainer.evaluate(new NDList(x)).singletonOrThrow().logSoftmax(1).toFloatArray();
      }
      for (int i = 0; i < size; i++) {
        int label = test.labels()[from + i];
        int best = 0;
        for (int k = 1; k < 10; k++) {
          best = logProbs[i * 10 + k] > logProbs[i * 10 + best] ? k : best;
        }
        correct += best == label ? 1 : 0;
        loss -= logProbs[i * 10 + label];
      }
    }
    return new Score(loss / test.count(), (double) correct / test.count());
  }

  private static void copyPixels(IdxImages data, int index, float[] pixels, int row) {
    int src = index * IdxImages.IMAGE_SIZE;
    int dst = row * IdxImages.IMAGE_SIZE;
    for (int k = 0; k < IdxImages.IMAGE_SIZE; k++) {
      pixels[dst + k] = (data.pixels()[src + k] & 0xff) / 255f;
    }
  }

  /** A permutation of 0..n-1 (Fisher-Yates), as Keras shuffles each epoch. */
  private static int[] shuffled(int n, Random random) {
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

  private static long countParams(Model model) {
    long n = 0;
    for (Parameter p : model.getBlock().getParameters().values()) {
      n += p.getArray().getShape().size();
    }
    return n;
  }

  private String resultJson(
      int trainCount,
      int testCount,
      long params,
      String version,
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
        "{\"framework\": \"djl\", \"backend\": \"pytorch %s\", \"threads\": %d,"
            + " \"train_samples\": %d, \"test_samples\": %d, \"epochs\": %d, \"batch_size\": %d,"
            + " \"seed\": %d, \"params\": %d, \"test_loss\": %.6f, \"test_accuracy\": %.6f,"
            + " \"epoch_seconds\": [%s], \"train_seconds\": %.3f}",
        version,
        threads,
        trainCount,
        testCount,
        epochs,
        batchSize,
        seed,
        params,
        score.loss(),
        score.accuracy(),
        epochSeconds,
        trainSeconds);
  }
}
