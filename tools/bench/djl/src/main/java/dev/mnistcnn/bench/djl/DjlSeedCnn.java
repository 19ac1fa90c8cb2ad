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
import dev.mnistcnn.bench.SeedRecipe;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
  @Mixin SeedRecipe recipe;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "libtorch intra-op threads (inter-op: 1).")
  int threads;

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
    recipe.requireValid();
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be positive");
    }
    // Read by the PyTorch engine when it loads, so set before the first Engine call.
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    IdxImages train = recipe.trainImages();
    IdxImages test = recipe.testImages();
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) recipe.seed());
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
        trainer.initialize(new Shape(recipe.batchSize(), 1, 28, 28));
        long params = countParams(model);
        if (params != SeedCnn.PARAMS) {
          throw new IllegalStateException(
              "the DJL network has " + params + " parameters, the seed CNN " + SeedCnn.PARAMS);
        }
        String version = engine.getVersion();
        return recipe.run(
            new SeedRecipe.Peer() {
              @Override
              public void step(IdxImages images, int[] order, int from, int size) {
                DjlSeedCnn.step(trainer, images, order, from, size);
              }

              @Override
              public SeedRecipe.Score evaluate(IdxImages images) {
                return DjlSeedCnn.this.evaluate(trainer, images);
              }

              @Override
              public long params() {
                return params;
              }

              @Override
              public String jsonFields() {
                return String.format(
                    Locale.ROOT,
                    "\"framework\": \"djl\", \"backend\": \"pytorch %s\", \"threads\": %d",
                    version,
                    threads);
              }
            },
            train,
            test);
      }
    }
  }

  /** One Adam step on one mini-batch; its arrays live in a sub-manager closed right after. */
  private static void step(Trainer trainer, IdxImages train, int[] order, int from, int size) {
    float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
    long[] labels = new long[size];
    for (int i = 0; i < size; i++) {
      int index = order[from + i];
      train.copyScaled(index, pixels, i);
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
  private SeedRecipe.Score evaluate(Trainer trainer, IdxImages test) {
    double loss = 0;
    long correct = 0;
    for (int from = 0; from < test.count(); from += recipe.batchSize()) {
      int size = Math.min(recipe.batchSize(), test.count() - from);
      float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
      for (int i = 0; i < size; i++) {
        test.copyScaled(from + i, pixels, i);
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
    return new SeedRecipe.Score(loss / test.count(), (double) correct / test.count());
  }

  private static long countParams(Model model) {
    long n = 0;
    for (Parameter p : model.getBlock().getParameters().values()) {
      n += p.getArray().getShape().size();
    }
    return n;
  }
}
